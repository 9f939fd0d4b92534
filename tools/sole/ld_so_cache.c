/* Reads glibc's /etc/ld.so.cache ("glibc-ld.so.cache1.1" format): the map from
 * a library's soname to its path that ldconfig keeps for the dynamic loader. */
#include "ld_so_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define CACHE_MAGIC "glibc-ld.so.cache"
#define CACHE_VERSION "1.1"
#define HEADER_SIZE 48 /* magic and version (20), nlibs, len_strings, flags, extension, unused */
#define ENTRY_SIZE 24  /* flags, key, value, osversion (4 each), hwcap (8) */

/* Entry flags, as ldconfig writes them. */
#define FLAG_TYPE_MASK 0x00ff
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_ARCH_MASK 0xff00
#define FLAG_X8664_LIB64 0x0300

static uint32_t read_u32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static uint64_t read_u64(const unsigned char *p) { return read_u32(p) | (uint64_t)read_u32(p + 4) << 32; }

/* A NUL-terminated string at offset inside the file, or NULL when it runs off the end. */
static const char *string_at(const unsigned char *bytes, size_t size, uint32_t offset)
{
	if (offset >= size || !memchr(bytes + offset, '\0', size - offset))
		return NULL;
	return (const char *)bytes + offset;
}

int ld_so_cache_parse(const unsigned char *bytes, size_t size, struct ld_so_cache *cache, char *problem,
		      size_t problem_size)
{
	*cache = (struct ld_so_cache){0};
	if (size < HEADER_SIZE || memcmp(bytes, CACHE_MAGIC CACHE_VERSION, 20) != 0) {
		snprintf(problem, problem_size, "not a glibc-ld.so.cache1.1 file (run ldconfig to rebuild it)");
		return -1;
	}
	uint32_t count = read_u32(bytes + 20);
	if (count > (size - HEADER_SIZE) / ENTRY_SIZE) {
		snprintf(problem, problem_size, "truncated: %u entries do not fit in %zu bytes (run ldconfig)",
			 count, size);
		return -1;
	}
	cache->entries = xcalloc(count ? count : 1, sizeof(*cache->entries));
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *entry = bytes + HEADER_SIZE + (size_t)i * ENTRY_SIZE;
		uint32_t flags = read_u32(entry);
		/* hwcap entries name optimised copies in glibc-hwcaps folders; the
		 * baseline entry of the same soname runs everywhere */
		if ((flags & FLAG_TYPE_MASK) != FLAG_ELF_LIBC6 || (flags & FLAG_ARCH_MASK) != FLAG_X8664_LIB64 ||
		    read_u64(entry + 16) != 0)
			continue;
		const char *soname = string_at(bytes, size, read_u32(entry + 4));
		const char *path = string_at(bytes, size, read_u32(entry + 8));
		if (!soname || !path) {
			snprintf(problem, problem_size, "entry %u points past the end of the file (run ldconfig)", i);
			ld_so_cache_free(cache);
			return -1;
		}
		cache->entries[cache->count++] = (struct ld_so_cache_entry){xstrdup(soname), xstrdup(path)};
	}
	return 0;
}

int ld_so_cache_load(const char *path, struct ld_so_cache *cache, char *problem, size_t problem_size)
{
	struct stat status;

	*cache = (struct ld_so_cache){0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(problem, problem_size, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &status) != 0 || status.st_size <= 0) {
		close(fd);
		snprintf(problem, problem_size, "empty or unreadable (run ldconfig to rebuild it)");
		return -1;
	}
	size_t size = (size_t)status.st_size;
	unsigned char *bytes = xmalloc(size);
	ssize_t got = pread(fd, bytes, size, 0);
	close(fd);
	int result = -1;
	if (got == (ssize_t)size)
		result = ld_so_cache_parse(bytes, size, cache, problem, problem_size);
	else
		snprintf(problem, problem_size, "short read (%zd of %zu bytes)", got, size);
	free(bytes);
	return result;
}

const char *ld_so_cache_find(const struct ld_so_cache *cache, const char *soname)
{
	for (size_t i = 0; i < cache->count; i++)
		if (strcmp(cache->entries[i].soname, soname) == 0)
			return cache->entries[i].path;
	return NULL;
}

void ld_so_cache_free(struct ld_so_cache *cache)
{
	for (size_t i = 0; i < cache->count; i++) {
		free(cache->entries[i].soname);
		free(cache->entries[i].path);
	}
	free(cache->entries);
	*cache = (struct ld_so_cache){0};
}
