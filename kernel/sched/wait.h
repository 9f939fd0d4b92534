/* Wait queues: what a blocked thread waits for. A thread may wait on
 * several queues at once (poll, epoll): it adds one waiter to each, blocks,
 * and removes them when it wakes. */
#ifndef SOLE_WAIT_H
#define SOLE_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched/sched.h"

struct thread;

struct waiter {
	struct thread *thread;
	/* A watcher (epoll) instead of a thread: called on every wake whose
	 * bits meet bitset, and left on the queue. */
	void (*notify)(struct waiter *w, uint32_t bits);
	struct waiter *next, *prev;
	struct wait_queue *queue;
	uint32_t bitset;       /* futex bitsets, readiness events (EPOLL*); all ones elsewhere */
	uintptr_t key;         /* for futex waiters: the word's address or file offset */
	const void *key_space; /* and its address space or file (kernel/sched/futex.c) */
	bool requeue_pi;       /* in FUTEX_WAIT_REQUEUE_PI: only FUTEX_CMP_REQUEUE_PI may move it */
};

struct wait_queue {
	struct waiter *head, *tail;
};

void wait_add(struct wait_queue *q, struct waiter *w, struct thread *t);
void wait_remove(struct waiter *w);
/* Wakes up to count waiters (from the oldest) whose bitset meets bits, and
 * takes them off the queue; calls every watcher whose bitset meets bits.
 * Returns how many threads it woke. */
int wait_wake(struct wait_queue *q, int count, uint32_t bits);
/* Waits on one queue: returns why it woke. */
enum wake_reason wait_on(struct wait_queue *q, uint64_t deadline);

#endif
