/* Allocation that cannot fail: when the host is out of memory sole has nothing
 * better to do than say so and stop, so these never return NULL. */
#ifndef SOLE_XALLOC_H
#define SOLE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *old, size_t size);
char *xstrdup(const char *text);
char *xasprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
