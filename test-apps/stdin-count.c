/* stdin-count: reads fd 0 to EOF in odd-sized chunks and prints the byte count
 * and an FNV-1a checksum, so data piped into sole is checked byte for byte. */
#include <unistd.h>

#include "common.h"

int main(void)
{
	static const size_t chunk_sizes[] = { 1, 3, 7, 13, 64, 509, 4093, 65537 };
	static char buf[65537];
	unsigned long long hash = FNV1A_INIT;
	unsigned long long total = 0;

	for (size_t i = 0;; i = (i + 1) % (sizeof(chunk_sizes) / sizeof(chunk_sizes[0]))) {
		ssize_t n = read(0, buf, chunk_sizes[i]);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			printf("read: %s\n", errno_name(errno));
			return 1;
		}
		if (n == 0)
			break;
		hash = fnv1a(hash, buf, (size_t)n);
		total += (unsigned long long)n;
	}
	/* A second read after EOF must give EOF again. */
	ssize_t again = read(0, buf, 1);
	printf("bytes=%llu\n", total);
	printf("fnv1a=%016llx\n", hash);
	printf("read after eof=%zd\n", again);
	return 0;
}
