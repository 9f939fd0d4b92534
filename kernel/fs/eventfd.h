/* eventfd objects (kernel/fs/eventfd.c): a counter as a file. */
#ifndef SOLE_EVENTFD_H
#define SOLE_EVENTFD_H

#include <stdint.h>

#include "kernel/fs/file.h"

#define EFD_SEMAPHORE 1

/* A new eventfd file counting from initval; flags may hold EFD_SEMAPHORE
 * and O_NONBLOCK. NULL when out of memory. */
struct file *eventfd_create(uint64_t initval, unsigned flags);

#endif
