/* Growable text buffers, see strbuf.h. */
#include "kernel/strbuf.h"

#include <stdarg.h>
#include <string.h>

#include "kernel/mm/heap.h"
#include "libc-glue/kformat.h"

static bool reserve(struct strbuf *sb, size_t extra)
{
	if (sb->failed)
		return false;
	if (sb->len + extra + 1 <= sb->cap)
		return true;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + extra + 1)
		cap *= 2;
	char *data = kmalloc(cap);
	if (!data) {
		sb->failed = true;
		return false;
	}
	if (sb->len)
		memcpy(data, sb->data, sb->len);
	kfree(sb->data);
	sb->data = data;
	sb->cap = cap;
	return true;
}

void strbuf_append(struct strbuf *sb, const void *data, size_t len)
{
	if (!reserve(sb, len))
		return;
	memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = 0;
}

void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof line) {
		strbuf_append(sb, line, (size_t)n);
		return;
	}
	/* Longer than a line: format straight into the buffer. */
	if (!reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	kvsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_free(struct strbuf *sb)
{
	kfree(sb->data);
	*sb = (struct strbuf){0};
}
