/* Kernel random source, see random.h. */
#include "kernel/random.h"

#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/errno.h"

static uint64_t fallback_state;

static uint64_t fallback_next(void)
{
	if (!fallback_state)
		fallback_state = rdtsc() | 1;
	fallback_state ^= fallback_state << 13;
	fallback_state ^= fallback_state >> 7;
	fallback_state ^= fallback_state << 17;
	return fallback_state * 0x2545f4914f6cdd1dull;
}

static uint64_t next_word(void)
{
	if (cpu_features.rdrand) {
		for (int tries = 0; tries < 10; tries++) {
			uint64_t v;
			unsigned char ok;
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				return v;
		}
	}
	return fallback_next();
}

void random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len) {
		uint64_t w = next_word();
		size_t n = len < sizeof w ? len : sizeof w;
		memcpy(p, &w, n);
		p += n;
		len -= n;
	}
}

long random_fill_buf(struct iobuf buf, size_t len)
{
	uint8_t chunk[256];
	size_t done = 0;
	while (done < len) {
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		random_fill(chunk, n);
		if (iobuf_put(buf, done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)len;
}
