/* Clocks and sleeping: clock_gettime and its relatives, nanosleep. */
#include <linux/time.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "kernel/time.h"
#include "syscalls/timespec.h"

#define NSEC_PER_SEC 1000000000ull
#define COARSE_RESOLUTION_NS 4000000 /* one tick at Linux's HZ=250 */

/* A clock id below 0 is another thread's or process's CPU clock, as
 * pthread_getcpuclockid and clock_getcpuclockid make them: ~id << 3, bit 2
 * for a thread (of the caller's process only), the low two bits the kind
 * (3 is none). 0 for id is the caller. */
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_KIND_MASK 3

static int cpu_clock_now(int clock, uint64_t *ns)
{
	int id = ~(clock >> 3);
	if ((clock & CPUCLOCK_KIND_MASK) == CPUCLOCK_KIND_MASK)
		return -EINVAL;
	if (clock & CPUCLOCK_PERTHREAD) {
		struct thread *t = id ? thread_by_tid(id) : current_thread();
		if (!t || t->proc != current_process())
			return -EINVAL;
		*ns = cpu_times_total(cputime_thread(t));
		return 0;
	}
	struct process *p = id ? process_by_pid(id) : current_process();
	if (!p)
		return -EINVAL;
	*ns = cpu_times_total(cputime_process(p));
	return 0;
}

static int clock_now(int clock, uint64_t *ns)
{
	if (clock < 0)
		return cpu_clock_now(clock, ns);
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = time_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = time_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = cpu_times_total(cputime_process(current_process()));
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = cpu_times_total(cputime_thread(current_thread()));
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(int clock, struct __kernel_timespec *ts)
{
	uint64_t ns;
	int err = clock_now(clock, &ns);
	if (err)
		return err;
	struct __kernel_timespec t = timespec_from_ns(ns);
	return copy_to_user(ts, &t, sizeof t) ? -EFAULT : 0;
}

long sys_clock_getres(int clock, struct __kernel_timespec *res)
{
	uint64_t ignored;
	int err = clock_now(clock, &ignored);
	if (err)
		return err;
	bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
	struct __kernel_timespec t = timespec_from_ns(coarse ? COARSE_RESOLUTION_NS : 1);
	return res && copy_to_user(res, &t, sizeof t) ? -EFAULT : 0;
}

long sys_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	uint64_t ns = time_realtime_ns();
	if (tv) {
		struct __kernel_old_timeval v = {.tv_sec = (long)(ns / NSEC_PER_SEC),
		                                 .tv_usec = (long)(ns % NSEC_PER_SEC / 1000)};
		if (copy_to_user(tv, &v, sizeof v))
			return -EFAULT;
	}
	if (tz) {
		struct timezone z = {0, 0};
		if (copy_to_user(tz, &z, sizeof z))
			return -EFAULT;
	}
	return 0;
}

long sys_time(long *tloc)
{
	long now = (long)(time_realtime_ns() / NSEC_PER_SEC);
	if (tloc && copy_to_user(tloc, &now, sizeof now))
		return -EFAULT;
	return now;
}

/* Sleeps until the monotonic deadline. A signal cuts a relative sleep short
 * with the time left in *rem and -ERESTART_RESTARTBLOCK: EINTR when a
 * handler runs, else restart_syscall sleeps on to the same deadline. An
 * absolute sleep simply runs again (-ERESTARTNOHAND), as on Linux. */
static long resume_sleep(struct restart_block *r);

static long sleep_until(uint64_t deadline, struct __kernel_timespec *rem, bool absolute)
{
	while (sched_block(deadline) != WAKE_TIMEOUT) {
		if (!signal_pending(current_thread()))
			continue;
		if (absolute)
			return -ERESTARTNOHAND;
		uint64_t now = time_monotonic_ns();
		struct __kernel_timespec t = timespec_from_ns(deadline > now ? deadline - now : 0);
		if (rem && copy_to_user(rem, &t, sizeof t))
			return -EFAULT;
		return signal_restart_block(resume_sleep, deadline, (uint64_t)rem, 0, 0);
	}
	return 0;
}

static long resume_sleep(struct restart_block *r)
{
	return sleep_until(r->arg[0], (struct __kernel_timespec *)r->arg[1], false);
}

long sys_clock_nanosleep(int clock, int flags, const struct __kernel_timespec *req, struct __kernel_timespec *rem)
{
	uint64_t want, now;
	int err = clock_now(clock, &now);
	if (!err && clock == CLOCK_THREAD_CPUTIME_ID)
		err = -EOPNOTSUPP; /* Linux's thread clock has no sleep at all */
	if (!err && clock < 0)
		err = -EINVAL;
	if (!err)
		err = timespec_from_user(req, &want);
	if (err)
		return err;
	bool absolute = flags & TIMER_ABSTIME;
	uint64_t wait = absolute ? (want > now ? want - now : 0) : want;
	return sleep_until(time_monotonic_ns() + wait, rem, absolute);
}

long sys_nanosleep(const struct __kernel_timespec *req, struct __kernel_timespec *rem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

/* Only root may set the wall clock, and only CLOCK_REALTIME can be set. */
long sys_clock_settime(int clock, const struct __kernel_timespec *tp)
{
	uint64_t ns;
	int err = timespec_from_user(tp, &ns);
	if (err)
		return err;
	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	time_set_realtime_ns(ns);
	return 0;
}

long sys_settimeofday(const struct __kernel_old_timeval *tv, const struct timezone *tz)
{
	if (tz) {
		struct timezone z;
		if (copy_from_user(&z, tz, sizeof z))
			return -EFAULT;
		if (z.tz_minuteswest < -15 * 60 || z.tz_minuteswest > 15 * 60)
			return -EINVAL;
	}
	if (!tv)
		return 0;
	struct __kernel_old_timeval v;
	if (copy_from_user(&v, tv, sizeof v))
		return -EFAULT;
	if (v.tv_sec < 0 || v.tv_usec < 0 || v.tv_usec >= 1000000)
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	time_set_realtime_ns((uint64_t)v.tv_sec * NSEC_PER_SEC + (uint64_t)v.tv_usec * 1000);
	return 0;
}
