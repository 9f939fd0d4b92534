/* timerfd_create, timerfd_settime and timerfd_gettime: a kernel timer whose
 * expirations are counted and read as a 64-bit number. As on Linux, an
 * interval timer stops after it fires until the count is read (or the
 * setting asked for); then it counts every period that passed meanwhile. */
#include <linux/fcntl.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/sched/ktimer.h"
#include "kernel/time.h"
#include "syscalls/fs_common.h"
#include "syscalls/readiness.h"

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2 /* accepted; the clock is never set, so never cancelled */
#define NSEC_PER_SEC 1000000000ull

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

long sys_timerfd_create(int clock, int flags)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct timerfd *t = kzalloc(sizeof *t);
	if (!t)
		return -ENOMEM;
	t->clock = clock;
	t->timer.fire = timerfd_fire;
	struct file *f =
	    file_open_anonymous(NULL, 0600, &timerfd_ops, t, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[timerfd]");
	if (!f) {
		kfree(t);
		return -ENOMEM;
	}
	long fd = fd_install(current_process()->files, f, 0, flags & O_CLOEXEC);
	file_put(f);
	return fd;
}

static struct timerfd *timerfd_of(int fd, long *err)
{
	struct file *f = current_file(fd);
	*err = !f ? -EBADF : f->ops != &timerfd_ops ? -EINVAL : 0;
	return *err ? NULL : f->object;
}

static struct __kernel_timespec to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){.tv_sec = (long long)(ns / NSEC_PER_SEC),
	                                  .tv_nsec = (long long)(ns % NSEC_PER_SEC)};
}

static int from_timespec(const struct __kernel_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
	return 0;
}

static struct __kernel_itimerspec current_setting(struct timerfd *t)
{
	timerfd_catch_up(t);
	uint64_t now = time_monotonic_ns();
	uint64_t left = ktimer_armed(&t->timer) && t->next > now ? t->next - now : 0;
	if (ktimer_armed(&t->timer) && !left)
		left = 1; /* due this instant: still armed */
	return (struct __kernel_itimerspec){.it_interval = to_timespec(t->interval), .it_value = to_timespec(left)};
}

long sys_timerfd_gettime(int fd, struct __kernel_itimerspec *user_value)
{
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	struct __kernel_itimerspec now = current_setting(t);
	return copy_to_user(user_value, &now, sizeof now) ? -EFAULT : 0;
}

long sys_timerfd_settime(int fd, int flags, const struct __kernel_itimerspec *user_new,
                         struct __kernel_itimerspec *user_old)
{
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	struct __kernel_itimerspec wanted;
	uint64_t value, interval;
	if (copy_from_user(&wanted, user_new, sizeof wanted))
		return -EFAULT;
	if (from_timespec(&wanted.it_value, &value) || from_timespec(&wanted.it_interval, &interval))
		return -EINVAL;
	struct __kernel_itimerspec old = current_setting(t);
	if (user_old && copy_to_user(user_old, &old, sizeof old))
		return -EFAULT;
	ktimer_cancel(&t->timer);
	t->ticks = 0;
	t->expired = false;
	t->interval = interval;
	if (!value)
		return 0;
	uint64_t now = time_monotonic_ns();
	if (!(flags & TFD_TIMER_ABSTIME))
		t->next = now + value;
	else if (t->clock == CLOCK_REALTIME || t->clock == CLOCK_REALTIME_ALARM) {
		uint64_t realtime_offset = time_realtime_ns() - now; /* fixed: the clock is never set */
		t->next = value > realtime_offset ? value - realtime_offset : 1;
	} else {
		t->next = value;
	}
	ktimer_arm(&t->timer, t->next);
	return 0;
}
