/* Where each demultiplexed console stream goes on the host: the app's stdout
 * and stderr to fds 1 and 2 unaltered, kernel log and warnings as "sole: "
 * lines, traces as they are, crash record and syscall summary lines kept
 * for the report and the table, memory lines to the --stats-file. */
#ifndef SOLE_CONSOLE_SINK_H
#define SOLE_CONSOLE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "byte_buffer.h"
#include "line_prefixer.h"
#include "string_list.h"

/* Lines of a stream the host keeps until the VM ends (crash record,
 * syscall summary, missing files). */
struct line_collection {
	struct byte_buffer partial; /* the line still being received */
	struct string_list lines;
};

struct console_sink {
	bool show_log;
	bool show_trace;
	bool stdout_failed;      /* fd 1 refused bytes for any reason */
	int stats_fd;            /* --stats-file, or -1 */
	struct line_prefixer log_lines;
	struct line_prefixer warning_lines;
	struct line_collection crash;   /* docs/crash-record.md */
	struct line_collection summary; /* "NR CALLS ERRORS ENOSYS NANOSECONDS" */
	struct line_collection missing; /* paths the app failed to open */
};

/* stats_fd: where WIRE_STATS lines go (-1: dropped); the caller closes it. */
void console_sink_init(struct console_sink *sink, bool show_log, bool show_trace, int stats_fd);
/* A console_deliver_fn; context is the sink. */
void console_sink_deliver(void *context, char stream, const uint8_t *bytes, size_t count);
/* Ends partial lines; the collected lines stay until console_sink_free. */
void console_sink_finish(struct console_sink *sink);
void console_sink_free(struct console_sink *sink);

#endif
