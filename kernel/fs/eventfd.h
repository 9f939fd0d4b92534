/* eventfd objects (kernel/fs/eventfd.c): a counter as a file. */
#ifndef SOLE_EVENTFD_H
#define SOLE_EVENTFD_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/file.h"

#define EFD_SEMAPHORE 1

/* A new eventfd file counting from initval; flags may hold EFD_SEMAPHORE
 * and O_NONBLOCK. NULL when out of memory. */
struct file *eventfd_create(uint64_t initval, unsigned flags);

/* Whether f is an eventfd (IOCB_FLAG_RESFD accepts nothing else). */
bool file_is_eventfd(const struct file *f);
/* Adds n to the counter of eventfd f without blocking, as a completion
 * that must not wait does: the count stops at its top (Linux's
 * eventfd_signal). */
void eventfd_signal(struct file *f, uint64_t n);

#endif
