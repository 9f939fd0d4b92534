/* A growable text buffer in the kernel heap, for files whose content the
 * kernel writes (/proc). A failed allocation sticks: the text is cut short. */
#ifndef SOLE_STRBUF_H
#define SOLE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;
	size_t len, cap;
	bool failed;
};

void strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_append(struct strbuf *sb, const void *data, size_t len);
void strbuf_free(struct strbuf *sb);

#endif
