/* The ChaCha20 block function of RFC 8439: 64 bytes of keystream from a
 * 256-bit key, a 32-bit block counter and a 96-bit nonce. The kernel's random
 * generator (kernel/random.c) is built on it. */
#ifndef SOLE_CRYPTO_CHACHA20_H
#define SOLE_CRYPTO_CHACHA20_H

#include <stdint.h>

#define CHACHA20_KEY_SIZE 32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t out[CHACHA20_BLOCK_SIZE]);

#endif
