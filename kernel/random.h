/* Random bytes for AT_RANDOM, getrandom and /dev/urandom: RDRAND where the
 * CPU has it, else a xorshift generator seeded from the TSC. */
#ifndef SOLE_RANDOM_H
#define SOLE_RANDOM_H

#include <stddef.h>

void random_fill(void *buf, size_t len);
#include "kernel/mm/iobuf.h"

/* Fills an app or kernel buffer: len, the count filled before a bad page,
 * or -EFAULT. */
long random_fill_buf(struct iobuf buf, size_t len);

#endif
