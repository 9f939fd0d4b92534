/* Clearing secrets: a memset the compiler may not drop as a dead store,
 * for keys and seeds on the stack that are about to go out of scope. */
#ifndef SOLE_CRYPTO_WIPE_H
#define SOLE_CRYPTO_WIPE_H

#include <stddef.h>
#include <stdint.h>

static inline void wipe(void *p, size_t len)
{
	volatile uint8_t *b = p;
	while (len--)
		*b++ = 0;
}

#endif
