/* Reads glibc's /etc/ld.so.cache ("glibc-ld.so.cache1.1" format): the map from
 * a library's soname to its path that ldconfig keeps for the dynamic loader. */
#ifndef SOLE_LD_SO_CACHE_H
#define SOLE_LD_SO_CACHE_H

#include <stddef.h>

struct ld_so_cache_entry {
	char *soname; /* "libc.so.6" */
	char *path;   /* "/lib/x86_64-linux-gnu/libc.so.6" */
};

/* The x86_64 entries of one cache file, in the file's order (ldconfig sorts
 * them so that the first match for a soname is the one ld.so picks). */
struct ld_so_cache {
	struct ld_so_cache_entry *entries;
	size_t count;
};

/* Loads path into cache. Returns 0, or -1 with one line saying what is wrong
 * in problem (a missing file is not an error: it gives an empty cache). */
int ld_so_cache_load(const char *path, struct ld_so_cache *cache, char *problem, size_t problem_size);
/* Parses the bytes of a cache file; the same contract as ld_so_cache_load. */
int ld_so_cache_parse(const unsigned char *bytes, size_t size, struct ld_so_cache *cache, char *problem,
		      size_t problem_size);
/* The path for soname, or NULL. */
const char *ld_so_cache_find(const struct ld_so_cache *cache, const char *soname);
void ld_so_cache_free(struct ld_so_cache *cache);

#endif
