/* Writes a byte stream as whole lines, each prefixed ("sole: "), holding a
 * partial line until its end arrives. */
#include "line_prefixer.h"

#include <string.h>

#include "fd_io.h"

/* A line longer than this is written in pieces, each with its prefix. */
#define LINE_LIMIT 4096

void line_prefixer_init(struct line_prefixer *lines, int fd, const char *prefix)
{
	*lines = (struct line_prefixer){.fd = fd, .prefix = prefix};
}

static void write_pending(struct line_prefixer *lines)
{
	write_all(lines->fd, lines->pending.data, lines->pending.length);
	lines->pending.length = 0;
}

void line_prefixer_write(struct line_prefixer *lines, const uint8_t *bytes, size_t count)
{
	while (count > 0) {
		if (lines->pending.length == 0)
			byte_buffer_append_string(&lines->pending, lines->prefix);
		const uint8_t *newline = memchr(bytes, '\n', count);
		size_t part = newline ? (size_t)(newline - bytes) + 1 : count;
		byte_buffer_append(&lines->pending, bytes, part);
		if (newline) {
			write_pending(lines);
		} else if (lines->pending.length >= LINE_LIMIT) {
			byte_buffer_append_string(&lines->pending, "\n");
			write_pending(lines);
		}
		bytes += part;
		count -= part;
	}
}

void line_prefixer_finish(struct line_prefixer *lines)
{
	if (lines->pending.length > 0) {
		byte_buffer_append_string(&lines->pending, "\n");
		write_pending(lines);
	}
	byte_buffer_free(&lines->pending);
}
