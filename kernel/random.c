/* The kernel's random generator, see random.h.
 *
 * Fast key erasure (D. J. Bernstein, 2017): each request runs ChaCha20 under
 * the current key with a fresh nonce; the first 32 bytes of keystream become
 * the next key at once, and the rest is the output. So no state that could
 * leak later reveals bytes already handed out. Each request also folds a
 * RDRAND word into the key where the CPU has the instruction, so a CPU source
 * keeps adding entropy after boot. One generator serves the whole VM: every
 * process, and each side of a fork, draws different bytes from it. */
#include "kernel/random.h"

#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/crypto/chacha20.h"
#include "kernel/crypto/wipe.h"
#include "kernel/errno.h"
#include "kernel/panic.h"

static struct {
	uint8_t key[CHACHA20_KEY_SIZE];
	uint64_t requests; /* the nonce: never repeats under one key */
	bool seeded;
} generator;

static bool rdrand_word(uint64_t *word)
{
	for (int tries = 0; tries < 10; tries++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*word), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool rdseed_word(uint64_t *word)
{
	for (int tries = 0; tries < 100; tries++) {
		unsigned char ok;
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*word), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* XORs LEN bytes into the key from offset AT on, round its end. */
static void xor_into_key(size_t at, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;
	for (size_t i = 0; i < len; i++)
		generator.key[(at + i) % sizeof generator.key] ^= p[i];
}

/* XORs a CPU random word into each 8 bytes of the key; how many it got. */
static int mix_cpu_words(void)
{
	int mixed = 0;
	for (size_t at = 0; at < sizeof generator.key; at += 8) {
		uint64_t word;
		bool ok = (cpu_features.rdseed && rdseed_word(&word)) || (cpu_features.rdrand && rdrand_word(&word));
		if (!ok)
			continue;
		xor_into_key(at, &word, sizeof word);
		mixed++;
	}
	return mixed;
}

/* One request: LEN bytes (any length) into OUT, and a new key. Block 0
 * under the current key gives the next key and the first 32 bytes of output;
 * blocks 1, 2, ... the rest. */
static void generate(uint8_t *out, size_t len)
{
	uint8_t key[CHACHA20_KEY_SIZE];
	uint8_t nonce[CHACHA20_NONCE_SIZE] = {0};
	uint8_t block[CHACHA20_BLOCK_SIZE];
	uint64_t word;

	if (!generator.seeded)
		panic("random: used before random_init");
	if (cpu_features.rdrand && rdrand_word(&word))
		xor_into_key(0, &word, sizeof word);
	memcpy(key, generator.key, sizeof key);
	uint64_t request = generator.requests++;
	memcpy(nonce, &request, sizeof request);

	chacha20_block(key, 0, nonce, block);
	memcpy(generator.key, block, CHACHA20_KEY_SIZE);
	size_t done = len < sizeof block - CHACHA20_KEY_SIZE ? len : sizeof block - CHACHA20_KEY_SIZE;
	memcpy(out, block + CHACHA20_KEY_SIZE, done);
	for (uint32_t counter = 1; done < len; counter++) {
		size_t n = len - done < sizeof block ? len - done : sizeof block;
		chacha20_block(key, counter, nonce, block);
		memcpy(out + done, block, n);
		done += n;
	}
	wipe(key, sizeof key);
	wipe(block, sizeof block);
}

/* XORs BYTES into the key, then runs one request so that the key in use
 * is no longer what was mixed in. */
static void fold_into_key(const void *bytes, size_t len)
{
	xor_into_key(0, bytes, len);
	uint8_t discard[CHACHA20_KEY_SIZE];
	generate(discard, sizeof discard);
	wipe(discard, sizeof discard);
}

bool random_init(const void *seed, size_t seed_len)
{
	int cpu_words = mix_cpu_words();
	if (!seed_len && !cpu_words)
		return false;
	generator.seeded = true;
	fold_into_key(seed, seed_len);
	return true;
}

void random_mix(const void *bytes, size_t len) { fold_into_key(bytes, len); }

/* A request is at most this long (Linux's getrandom returns up to 32 MiB at
 * once; longer fills are several requests, each erasing its key). */
#define MAX_REQUEST (64u << 10)

void random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		size_t n = len < MAX_REQUEST ? len : MAX_REQUEST;
		generate(p, n);
		p += n;
		len -= n;
	}
}

long random_fill_buf(struct iobuf buf, size_t len)
{
	uint8_t chunk[512];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		generate(chunk, n);
		if (iobuf_put(buf, done, chunk, n)) {
			wipe(chunk, sizeof chunk);
			return done ? (long)done : -EFAULT;
		}
		done += n;
	}
	wipe(chunk, sizeof chunk);
	return (long)len;
}
