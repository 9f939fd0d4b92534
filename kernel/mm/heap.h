/* The kernel heap: kmalloc and kfree. Small objects come from per-size
 * free lists on whole pages; large ones are page runs of their own. */
#ifndef SOLE_HEAP_H
#define SOLE_HEAP_H

#include <stddef.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *ptr);
char *kstrdup(const char *s);

#endif
