/* A growable byte buffer: built up at the end, consumed from the front. */
#include "byte_buffer.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void byte_buffer_append(struct byte_buffer *buffer, const void *bytes, size_t count)
{
	if (count == 0)
		return;
	if (buffer->length + count > buffer->capacity) {
		size_t capacity = buffer->capacity ? buffer->capacity : 256;
		while (capacity < buffer->length + count)
			capacity *= 2;
		buffer->data = xrealloc(buffer->data, capacity);
		buffer->capacity = capacity;
	}
	memcpy(buffer->data + buffer->length, bytes, count);
	buffer->length += count;
}

void byte_buffer_append_string(struct byte_buffer *buffer, const char *text)
{
	byte_buffer_append(buffer, text, strlen(text));
}

void byte_buffer_consume(struct byte_buffer *buffer, size_t count)
{
	if (count >= buffer->length) {
		buffer->length = 0;
		return;
	}
	memmove(buffer->data, buffer->data + count, buffer->length - count);
	buffer->length -= count;
}

void byte_buffer_free(struct byte_buffer *buffer)
{
	free(buffer->data);
	*buffer = (struct byte_buffer){0};
}
