/* write-big: writes 1 MiB of a deterministic binary pattern to stdout in
 * chunks of varied size. Every byte value appears, NUL, 0x10, LF and CR
 * included, so the console path must be byte-exact (no LF -> CRLF). */
#include <unistd.h>

#include "common.h"

#define TOTAL (1024 * 1024)

static unsigned char pattern[TOTAL];

int main(void)
{
	for (size_t i = 0; i < TOTAL; i++)
		pattern[i] = (unsigned char)(i * 7 + (i >> 8) + (i >> 16) * 13);

	static const size_t chunk_sizes[] = { 1, 4096, 17, 65536, 255, 100000, 3 };
	size_t done = 0;
	for (size_t c = 0; done < TOTAL; c = (c + 1) % (sizeof(chunk_sizes) / sizeof(chunk_sizes[0]))) {
		size_t want = chunk_sizes[c];
		if (want > TOTAL - done)
			want = TOTAL - done;
		ssize_t n = write(1, pattern + done, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		done += (size_t)n;
	}
	return 0;
}
