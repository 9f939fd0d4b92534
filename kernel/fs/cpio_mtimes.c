/* Reads the initrd's side table of modification times; see cpio_mtimes.h. */
#include "kernel/fs/cpio_mtimes.h"

#include <string.h>

#define NSEC_PER_SEC 1000000000l

/* A decimal number ended by a space, with an optional '-'; false if none. */
static bool take_number(const char **at, const char *end, int64_t *value)
{
	const char *p = *at;
	bool negative = p < end && *p == '-';
	p += negative;
	const char *digits = p;
	uint64_t v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - digits < 19)
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (p == digits || p == end || *p != ' ')
		return false;
	*value = negative ? -(int64_t)v : (int64_t)v;
	*at = p + 1;
	return true;
}

bool cpio_mtimes_take(struct cpio_mtimes *table, const char *name, size_t len, int64_t *sec, long *nsec)
{
	const char *p = table->at;
	int64_t s, ns;
	if (p == table->end)
		return false;
	const char *nul = memchr(p, 0, (size_t)(table->end - p));
	if (!nul || !take_number(&p, nul, &s) || !take_number(&p, nul, &ns) || ns < 0 || ns >= NSEC_PER_SEC) {
		table->at = table->end;
		return false;
	}
	if ((size_t)(nul - p) != len || memcmp(p, name, len))
		return false;
	*sec = s;
	*nsec = (long)ns;
	table->at = nul + 1;
	return true;
}
