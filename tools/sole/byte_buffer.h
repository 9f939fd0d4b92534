/* A growable byte buffer: built up at the end, consumed from the front. */
#ifndef SOLE_BYTE_BUFFER_H
#define SOLE_BYTE_BUFFER_H

#include <stddef.h>
#include <stdint.h>

struct byte_buffer {
	uint8_t *data;
	size_t length;
	size_t capacity;
};

void byte_buffer_append(struct byte_buffer *buffer, const void *bytes, size_t count);
void byte_buffer_append_string(struct byte_buffer *buffer, const char *text);
void byte_buffer_consume(struct byte_buffer *buffer, size_t count);
void byte_buffer_free(struct byte_buffer *buffer);

#endif
