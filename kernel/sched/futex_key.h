/* Which futex a word is, shared by the futex queues (futex.c) and the
 * priority-inheritance futexes (futex_pi.c): in private memory its address
 * space and address, in MAP_SHARED memory its file and offset. */
#ifndef SOLE_FUTEX_KEY_H
#define SOLE_FUTEX_KEY_H

#include <stdbool.h>
#include <stdint.h>

struct waiter;

struct futex_key {
	const void *space; /* the address space, or the shared file */
	uintptr_t offset;  /* the address, or the offset in the file */
};

/* The key of the word at uaddr in the caller's address space. */
struct futex_key futex_key_of(uintptr_t uaddr);
static inline bool futex_key_equal(struct futex_key a, struct futex_key b)
{
	return a.space == b.space && a.offset == b.offset;
}
/* Which of the hash buckets (0..FUTEX_BUCKETS-1) holds k. */
#define FUTEX_BUCKETS 64
unsigned futex_key_hash(struct futex_key k);
/* The wait queue that the waiters on k hang in, and whether w waits on k. */
struct wait_queue *futex_queue_of(struct futex_key k);
bool futex_waits_on(const struct waiter *w, struct futex_key k);

#endif
