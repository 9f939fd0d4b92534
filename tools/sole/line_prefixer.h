/* Writes a byte stream as whole lines, each prefixed ("sole: "), holding a
 * partial line until its end arrives. */
#ifndef SOLE_LINE_PREFIXER_H
#define SOLE_LINE_PREFIXER_H

#include <stddef.h>
#include <stdint.h>

#include "byte_buffer.h"

struct line_prefixer {
	int fd;
	const char *prefix;
	struct byte_buffer pending; /* the line so far, prefix included */
};

void line_prefixer_init(struct line_prefixer *lines, int fd, const char *prefix);
void line_prefixer_write(struct line_prefixer *lines, const uint8_t *bytes, size_t count);
/* Ends a partial line with a newline and frees the buffer. */
void line_prefixer_finish(struct line_prefixer *lines);

#endif
