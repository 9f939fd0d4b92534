/* A small hash set of strings, see intern.h. */
#include "kernel/intern.h"

#include <stdint.h>
#include <string.h>

#include "kernel/mm/heap.h"

#define BUCKETS 256

struct interned {
	struct interned *next;
	char text[];
};

static struct interned *buckets[BUCKETS];

static unsigned hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h % BUCKETS;
}

const char *intern(const char *s)
{
	unsigned b = hash(s);
	for (struct interned *i = buckets[b]; i; i = i->next)
		if (!strcmp(i->text, s))
			return i->text;
	size_t len = strlen(s) + 1;
	struct interned *i = kmalloc(sizeof *i + len);
	if (!i)
		return NULL;
	memcpy(i->text, s, len);
	i->next = buckets[b];
	buckets[b] = i;
	return i->text;
}
