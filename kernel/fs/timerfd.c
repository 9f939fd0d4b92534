/* timerfd objects: a kernel timer whose expirations are counted and read as a 64-bit number. As on Linux, an
 * interval timer stops after it fires until the count is read (or the
 * setting asked for); then it counts every period that passed meanwhile. */
#include "kernel/fs/timerfd.h"

#include <linux/fcntl.h>
#include <linux/time.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/sched/ktimer.h"
#include "kernel/time.h"

struct timerfd {
	struct ktimer timer; /* first: the fire callback finds the timerfd from it */
	int clock;
	uint64_t next;     /* the next expiration (monotonic ns) while armed */
	uint64_t interval; /* ns; 0 for a one-shot timer */
	uint64_t ticks;    /* expirations not read yet */
	bool expired;      /* fired, and not restarted since */
	struct wait_queue queue;
};

static void timerfd_fire(struct ktimer *k, uint64_t now)
{
	(void)now;
	struct timerfd *t = (struct timerfd *)k;
	t->ticks++;
	t->expired = true;
	readiness_notify(&t->queue, EPOLLIN | EPOLLRDNORM);
}

/* Restarts an interval timer that fired: counts the periods since, and arms
 * it for the first one still ahead. */
static void timerfd_catch_up(struct timerfd *t)
{
	if (t->expired && t->interval) {
		uint64_t periods = (time_monotonic_ns() - t->next) / t->interval + 1;
		t->ticks += periods - 1;
		t->next += periods * t->interval;
		ktimer_arm(&t->timer, t->next);
	}
	t->expired = false;
}

static long timerfd_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct timerfd *t = f->object;
	if (len < sizeof t->ticks)
		return -EINVAL;
	while (t->ticks == 0) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&t->queue, 0);
		if (err)
			return err;
	}
	timerfd_catch_up(t);
	if (iobuf_put(buf, 0, &t->ticks, sizeof t->ticks))
		return -EFAULT;
	t->ticks = 0;
	return sizeof t->ticks;
}

static unsigned timerfd_poll(struct file *f, struct wait_queue **queue)
{
	struct timerfd *t = f->object;
	if (queue)
		*queue = &t->queue;
	return t->ticks ? EPOLLIN | EPOLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->object;
	ktimer_cancel(&t->timer);
	kfree(t);
}

static const struct file_ops timerfd_ops = {.read = timerfd_read, .release = timerfd_release, .poll = timerfd_poll};

struct file *timerfd_create(int clock, unsigned flags)
{
	struct timerfd *t = kzalloc(sizeof *t);
	if (!t)
		return NULL;
	t->clock = clock;
	t->timer.fire = timerfd_fire;
	struct file *f =
	    file_open_anonymous(NULL, 0600, &timerfd_ops, t, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[timerfd]");
	if (!f)
		kfree(t);
	return f;
}

struct timerfd *timerfd_of_file(struct file *f) { return f->ops == &timerfd_ops ? f->object : NULL; }

struct timerfd_setting timerfd_get(struct timerfd *t)
{
	timerfd_catch_up(t);
	uint64_t now = time_monotonic_ns();
	uint64_t left = ktimer_armed(&t->timer) && t->next > now ? t->next - now : 0;
	if (ktimer_armed(&t->timer) && !left)
		left = 1; /* due this instant: still armed */
	return (struct timerfd_setting){.value = left, .interval = t->interval};
}

void timerfd_set(struct timerfd *t, struct timerfd_setting setting, bool absolute)
{
	ktimer_cancel(&t->timer);
	t->ticks = 0;
	t->expired = false;
	t->interval = setting.interval;
	if (!setting.value)
		return;
	uint64_t now = time_monotonic_ns();
	if (!absolute)
		t->next = now + setting.value;
	else if (t->clock == CLOCK_REALTIME || t->clock == CLOCK_REALTIME_ALARM) {
		uint64_t realtime_offset = time_realtime_ns() - now; /* fixed: the clock is never set */
		t->next = setting.value > realtime_offset ? setting.value - realtime_offset : 1;
	} else {
		t->next = setting.value;
	}
	ktimer_arm(&t->timer, t->next);
}
