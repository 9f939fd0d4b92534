/* The ChaCha20 block function, see chacha20.h. Written from RFC 8439,
 * sections 2.1 to 2.3: 20 rounds (10 column and diagonal double rounds) over
 * a 4x4 state of little-endian words, then the input added back. */
#include "kernel/crypto/chacha20.h"
#include "kernel/crypto/wipe.h"

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t rotate_left(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

static void quarter_round(uint32_t *s, int a, int b, int c, int d)
{
	s[a] += s[b], s[d] ^= s[a], s[d] = rotate_left(s[d], 16);
	s[c] += s[d], s[b] ^= s[c], s[b] = rotate_left(s[b], 12);
	s[a] += s[b], s[d] ^= s[a], s[d] = rotate_left(s[d], 8);
	s[c] += s[d], s[b] ^= s[c], s[b] = rotate_left(s[b], 7);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t out[CHACHA20_BLOCK_SIZE])
{
	/* "expand 32-byte k" */
	uint32_t input[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
	for (int i = 0; i < 8; i++)
		input[4 + i] = load_le32(key + 4 * i);
	input[12] = counter;
	for (int i = 0; i < 3; i++)
		input[13 + i] = load_le32(nonce + 4 * i);

	uint32_t s[16];
	for (int i = 0; i < 16; i++)
		s[i] = input[i];
	for (int round = 0; round < 10; round++) {
		quarter_round(s, 0, 4, 8, 12);
		quarter_round(s, 1, 5, 9, 13);
		quarter_round(s, 2, 6, 10, 14);
		quarter_round(s, 3, 7, 11, 15);
		quarter_round(s, 0, 5, 10, 15);
		quarter_round(s, 1, 6, 11, 12);
		quarter_round(s, 2, 7, 8, 13);
		quarter_round(s, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		store_le32(out + 4 * i, s[i] + input[i]);
	wipe(s, sizeof s);
}
