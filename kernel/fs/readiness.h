/* Readiness: how poll, select and epoll learn what a file can do without
 * blocking. Every object that can change (pipe, eventfd, timerfd, console,
 * socket) answers file_ops.poll with its current EPOLL* mask and its wait
 * queue, and calls readiness_notify on that queue with the events that may
 * have changed. Blocked readers and writers wait on the same queue. */
#ifndef SOLE_READINESS_H
#define SOLE_READINESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/eventpoll.h>

#include "kernel/fs/file.h"
#include "kernel/sched/wait.h"

/* What a file without a poll hook reports: always readable and writable. */
#define POLL_ALWAYS_READY (EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM)
/* What poll and epoll report whether asked for or not. */
#define POLL_ALWAYS_REPORTED (EPOLLERR | EPOLLHUP)

/* The file's events now; *queue (may be NULL) gets its wait queue, NULL
 * when its state never changes. */
unsigned file_poll(struct file *f, struct wait_queue **queue);
static inline bool file_pollable(const struct file *f) { return f->ops->poll != NULL; }
/* Wakes every thread waiting on q and every watcher whose events meet
 * events (EPOLLIN when data arrived, EPOLLOUT when room appeared, ...). */
void readiness_notify(struct wait_queue *q, unsigned events);

/* Blocks the caller on q until woken or deadline (monotonic ns, 0 for
 * none): 0, -ETIMEDOUT, or -ERESTARTSYS for a signal. For blocking reads
 * and writes, which recheck their condition after each wake. */
long readiness_wait(struct wait_queue *q, uint64_t deadline);

/* One file that poll or select waits on. */
struct poll_entry {
	struct file *file; /* NULL: skipped */
	unsigned events;   /* the events that count (poll adds POLL_ALWAYS_REPORTED) */
	unsigned revents;  /* the answer */
	struct waiter waiter;
};

/* Fills every entry's revents until at least one is nonzero, the deadline
 * (monotonic ns; 0 for none, one in the past to scan once) passes, or a
 * signal comes. Returns how many entries are ready, or -ERESTARTNOHAND. */
long poll_entries(struct poll_entry *entries, size_t count, uint64_t deadline);

/* Relative timeouts as monotonic deadlines: 0 for none (a negative ms), one
 * in the past for a zero timeout. */
uint64_t deadline_after_ms(long ms);
uint64_t deadline_after_ns(uint64_t ns);
#endif
