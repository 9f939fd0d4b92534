/* signalfd objects (kernel/fs/signalfd.c): pending signals read as a file. */
#ifndef SOLE_SIGNALFD_H
#define SOLE_SIGNALFD_H

#include <stdint.h>

#include "kernel/fs/file.h"

/* A new signalfd for the signals in mask; flags may hold O_NONBLOCK. NULL
 * when out of memory. */
struct file *signalfd_create(uint64_t mask, unsigned flags);
/* Changes the mask of the signalfd f: 0, or -EINVAL when f is not one. */
int signalfd_set_mask(struct file *f, uint64_t mask);

#endif
