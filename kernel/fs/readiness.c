/* The readiness mechanism, see readiness.h: polling a file, waking its
 * watchers, and waiting on a set of files for poll and select. */
#include "kernel/fs/readiness.h"

#include "kernel/errno.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"

#define NSEC_PER_MSEC 1000000ull

unsigned file_poll(struct file *f, struct wait_queue **queue)
{
	if (queue)
		*queue = NULL;
	return f->ops->poll ? f->ops->poll(f, queue) : POLL_ALWAYS_READY;
}

void readiness_notify(struct wait_queue *q, unsigned events) { wait_wake(q, INT32_MAX, events); }

long readiness_wait(struct wait_queue *q, uint64_t deadline)
{
	switch (wait_on(q, deadline)) {
	case WAKE_SIGNAL:
		return -ERESTARTSYS;
	case WAKE_TIMEOUT:
		return -ETIMEDOUT;
	default:
		return 0;
	}
}

static long scan(struct poll_entry *entries, size_t count)
{
	long ready = 0;
	for (size_t i = 0; i < count; i++) {
		struct poll_entry *e = &entries[i];
		if (e->file)
			e->revents = file_poll(e->file, NULL) & e->events;
		if (e->revents)
			ready++;
	}
	return ready;
}

long poll_entries(struct poll_entry *entries, size_t count, uint64_t deadline)
{
	for (;;) {
		long ready = scan(entries, count);
		if (ready || (deadline && deadline <= time_monotonic_ns()))
			return ready;
		for (size_t i = 0; i < count; i++) {
			struct poll_entry *e = &entries[i];
			struct wait_queue *q;
			e->waiter = (struct waiter){.bitset = e->events};
			if (e->file && (file_poll(e->file, &q), q))
				wait_add(q, &e->waiter, current_thread());
		}
		enum wake_reason why = sched_block(deadline);
		for (size_t i = 0; i < count; i++)
			wait_remove(&entries[i].waiter);
		if (why == WAKE_SIGNAL)
			return -ERESTARTNOHAND;
		if (why == WAKE_TIMEOUT)
			return scan(entries, count);
	}
}

uint64_t deadline_after_ns(uint64_t ns)
{
	if (ns == 0)
		return 1; /* already past: scan once */
	return time_monotonic_ns() + ns;
}

uint64_t deadline_after_ms(long ms) { return ms < 0 ? 0 : deadline_after_ns((uint64_t)ms * NSEC_PER_MSEC); }
