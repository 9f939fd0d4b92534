/* The kernel's random generator, behind AT_RANDOM, getrandom, /dev/urandom
 * and /dev/random: ChaCha20 with fast key erasure, keyed from the seed that
 * sole run takes from the host's getrandom (the boot configuration's
 * random_seed) mixed with RDSEED and RDRAND where the CPU has them, and
 * with a virtio-rng device's bytes where one is attached. */
#ifndef SOLE_RANDOM_H
#define SOLE_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/mm/iobuf.h"

/* Keys the generator from SEED (may be NULL) and the CPU's random
 * instructions. Returns false when neither gave any entropy: the kernel then
 * has no random source and must not start the app. */
bool random_init(const void *seed, size_t seed_len);

/* Folds more entropy (a virtio-rng device's bytes) into the key. */
void random_mix(const void *bytes, size_t len);

void random_fill(void *buf, size_t len);

/* Fills an app or kernel buffer: len, the count filled before a bad page,
 * or -EFAULT. */
long random_fill_buf(struct iobuf buf, size_t len);

#endif
