/* Where each demultiplexed console stream goes on the host: the app's stdout
 * and stderr to fds 1 and 2 unaltered, kernel log and warnings as "sole: "
 * lines, traces as they are, crash record and syscall summary lines kept
 * for the report and the table, memory lines to the --stats-file. */
#include "console_sink.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fd_io.h"
#include "platforms/console_wire.h"
#include "xalloc.h"

void console_sink_init(struct console_sink *sink, bool show_log, bool show_trace, int stats_fd)
{
	*sink = (struct console_sink){.show_log = show_log, .show_trace = show_trace, .stats_fd = stats_fd};
	line_prefixer_init(&sink->log_lines, STDERR_FILENO, "sole: ");
	line_prefixer_init(&sink->warning_lines, STDERR_FILENO, "sole: ");
}

/* Once fd 1 fails, the app's output is drained and dropped; the relay tells
 * the guest, whose writes to stdout then fail as on a broken pipe. */
static void write_app_stdout(struct console_sink *sink, const uint8_t *bytes, size_t count)
{
	if (!sink->stdout_failed && !write_all(STDOUT_FILENO, bytes, count))
		sink->stdout_failed = true;
}

/* A stats file that refuses a write (a full disk) is given up with one warning:
 * the app runs on. */
static void write_stats(struct console_sink *sink, const uint8_t *bytes, size_t count)
{
	if (sink->stats_fd >= 0 && !write_all(sink->stats_fd, bytes, count)) {
		sole_warning("--stats-file: cannot write (%s); no more memory lines", strerror(errno));
		sink->stats_fd = -1;
	}
}

static void end_line(struct line_collection *c)
{
	string_list_append_owned(&c->lines, xasprintf("%.*s", (int)c->partial.length, (const char *)c->partial.data));
	c->partial.length = 0;
}

static void collect_lines(struct line_collection *c, const uint8_t *bytes, size_t count)
{
	while (count > 0) {
		const uint8_t *newline = memchr(bytes, '\n', count);
		size_t part = newline ? (size_t)(newline - bytes) : count;
		byte_buffer_append(&c->partial, bytes, part);
		if (!newline)
			return;
		end_line(c);
		bytes += part + 1;
		count -= part + 1;
	}
}

static void finish_lines(struct line_collection *c)
{
	if (c->partial.length > 0)
		end_line(c);
	byte_buffer_free(&c->partial);
}

void console_sink_deliver(void *context, char stream, const uint8_t *bytes, size_t count)
{
	struct console_sink *sink = context;

	switch (stream) {
	case WIRE_STDOUT:
		write_app_stdout(sink, bytes, count);
		break;
	case WIRE_STDERR:
		write_all(STDERR_FILENO, bytes, count); /* a closed stderr loses it, as natively */
		break;
	case WIRE_LOG:
		if (sink->show_log)
			line_prefixer_write(&sink->log_lines, bytes, count);
		break;
	case WIRE_WARN:
		line_prefixer_write(&sink->warning_lines, bytes, count);
		break;
	case WIRE_TRACE:
		if (sink->show_trace)
			write_all(STDERR_FILENO, bytes, count);
		break;
	case WIRE_CRASH:
		collect_lines(&sink->crash, bytes, count);
		break;
	case WIRE_SUMMARY:
		collect_lines(&sink->summary, bytes, count);
		break;
	case WIRE_MISSING:
		collect_lines(&sink->missing, bytes, count);
		break;
	case WIRE_STATS:
		write_stats(sink, bytes, count);
		break;
	default: /* a stream from a newer kernel: not ours to show */
		break;
	}
}

void console_sink_finish(struct console_sink *sink)
{
	line_prefixer_finish(&sink->log_lines);
	line_prefixer_finish(&sink->warning_lines);
	finish_lines(&sink->crash);
	finish_lines(&sink->summary);
	finish_lines(&sink->missing);
}

void console_sink_free(struct console_sink *sink)
{
	string_list_free(&sink->crash.lines);
	string_list_free(&sink->summary.lines);
	string_list_free(&sink->missing.lines);
}
