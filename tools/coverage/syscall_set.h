/* A set of syscall numbers (a bit per x86_64 syscall). */
#ifndef SOLE_COVERAGE_SYSCALL_SET_H
#define SOLE_COVERAGE_SYSCALL_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "syscalls/syscall_table.h"

#define SYSCALL_SET_WORDS ((SYSCALL_COUNT + 63) / 64)

struct syscall_set {
	uint64_t words[SYSCALL_SET_WORDS];
};

static inline bool syscall_set_has(const struct syscall_set *set, long nr)
{
	return nr >= 0 && nr < SYSCALL_COUNT && (set->words[nr / 64] >> (nr % 64) & 1);
}

static inline void syscall_set_add(struct syscall_set *set, long nr)
{
	if (nr >= 0 && nr < SYSCALL_COUNT)
		set->words[nr / 64] |= 1ull << (nr % 64);
}

/* Adds every member of from; returns whether set grew. */
static inline bool syscall_set_merge(struct syscall_set *set, const struct syscall_set *from)
{
	bool grew = false;
	for (int i = 0; i < SYSCALL_SET_WORDS; i++) {
		grew |= (from->words[i] & ~set->words[i]) != 0;
		set->words[i] |= from->words[i];
	}
	return grew;
}

static inline int syscall_set_count(const struct syscall_set *set)
{
	int count = 0;
	for (int i = 0; i < SYSCALL_SET_WORDS; i++)
		count += __builtin_popcountll(set->words[i]);
	return count;
}

#endif
