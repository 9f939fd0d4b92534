/* Fuzz target: the reader of glibc's /etc/ld.so.cache (tools/sole/ld_so_cache.c),
 * which the library resolver reads from the host or from an image folder,
 * so from a file anyone may have written. The input is the cache file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ld_so_cache.h"

/* What the target read, kept so that the reads are not optimized away. */
static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ld_so_cache cache;
	char problem[256];
	/* a copy of exactly size bytes: the fuzzer's own buffer may be larger */
	unsigned char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (ld_so_cache_parse(copy, size, &cache, problem, sizeof problem) == 0) {
		for (size_t i = 0; i < cache.count; i++)
			sink +=
			    strlen(cache.entries[i].path) + (ld_so_cache_find(&cache, cache.entries[i].soname) != NULL);
		ld_so_cache_free(&cache);
	}
	free(copy);
	return 0;
}
