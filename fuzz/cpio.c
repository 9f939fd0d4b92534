/* Fuzz target: the kernel's initrd reader (kernel/fs/cpio.c, and the side
 * table of modification times, kernel/fs/cpio_mtimes.c), walked as
 * initrd_populate walks them. The input is a whole archive: sole run writes
 * it, but it is only bytes in memory to the kernel. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/fs/cpio.h"
#include "kernel/fs/cpio_mtimes.h"

/* Reads every byte the parser hands out, so that ASan checks its bounds. */
static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum ^= p[i];
	return sum;
}

/* What the target read, kept so that the reads are not optimized away. */
static volatile uint8_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_reader reader = {data, size, 0};
	struct cpio_mtimes mtimes = {NULL, NULL};
	struct cpio_entry e;
	while (cpio_next(&reader, &e) == 1) {
		sink ^= checksum((const uint8_t *)e.name, e.name_len) ^ checksum(e.data, e.size);
		if (e.name_len == strlen(CPIO_MTIMES_NAME) && !memcmp(e.name, CPIO_MTIMES_NAME, e.name_len)) {
			mtimes = (struct cpio_mtimes){(const char *)e.data, (const char *)e.data + e.size};
			continue;
		}
		int64_t sec;
		long nsec;
		if (cpio_mtimes_take(&mtimes, e.name, e.name_len, &sec, &nsec))
			sink ^= (uint8_t)(sec ^ nsec);
	}
	return 0;
}
