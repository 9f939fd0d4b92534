/* POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete, notifying by a signal to the process
 * (SIGEV_SIGNAL, and glibc's SIGEV_THREAD built on it), to one thread
 * (SIGEV_THREAD_ID), or not at all (SIGEV_NONE). Each timer owns its queued
 * signal: expiries while it is still pending count as overruns. Timers on
 * CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID count CPU time
 * (kernel/sched/cpu_timer.h); the others count wall time. */
#include <linux/time.h>
#include <linux/time_types.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/process.h"
#include "kernel/sched/cpu_timer.h"
#include "kernel/sched/ktimer.h"
#include "kernel/time.h"
#include "syscalls/timespec.h"

#define NSIG_MAX 64

struct posix_timer {
	struct ktimer timer;        /* on a wall clock */
	struct cpu_timer cpu_timer; /* on a CPU clock */
	struct queued_signal signal;
	struct process *proc;
	struct posix_timer *next;
	int id;
	int clock;
	int notify;
	int target_tid;    /* SIGEV_THREAD_ID */
	uint64_t deadline; /* ns while armed: monotonic, or on its CPU clock */
	uint64_t interval; /* ns, 0 for a one-shot */
	int overrun;       /* expiries while the signal was pending */
	int overrun_last;  /* what timer_getoverrun reports */
};

static int next_timer_id;

static bool cpu_clock(int clock) { return clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID; }

static void timer_arm(struct posix_timer *pt)
{
	if (cpu_clock(pt->clock))
		cpu_timer_arm(&pt->cpu_timer, pt->deadline ? pt->deadline : 1);
	else
		ktimer_arm(&pt->timer, pt->deadline ? pt->deadline : 1);
}

static void timer_disarm(struct posix_timer *pt)
{
	ktimer_cancel(&pt->timer);
	cpu_timer_cancel(&pt->cpu_timer);
}

static bool timer_armed(const struct posix_timer *pt)
{
	return cpu_clock(pt->clock) ? cpu_timer_armed(&pt->cpu_timer) : ktimer_armed(&pt->timer);
}

/* What its deadline is counted on: monotonic time, or its CPU clock. */
static uint64_t timer_clock(const struct posix_timer *pt)
{
	return cpu_clock(pt->clock) ? cpu_timer_clock(&pt->cpu_timer) : time_monotonic_ns();
}

static struct posix_timer *find_timer(int id)
{
	for (struct posix_timer *pt = current_process()->posix_timers; pt; pt = pt->next)
		if (pt->id == id)
			return pt;
	return NULL;
}

static struct thread *thread_with_tid(struct process *p, int tid)
{
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t->tid == tid && t->state != THREAD_DEAD)
			return t;
	return NULL;
}

static void add_overruns(struct posix_timer *pt, uint64_t count)
{
	uint64_t sum = (uint64_t)pt->overrun + count;
	pt->overrun = sum > __INT_MAX__ ? __INT_MAX__ : (int)sum;
}

/* The signal leaves the queue: it reports the overruns gathered so far. */
static void signal_taken(struct queued_signal *q, struct signal_info *info)
{
	struct posix_timer *pt = (struct posix_timer *)((char *)q - offsetof(struct posix_timer, signal));
	if (info)
		info->timer.overrun = pt->overrun;
	pt->overrun_last = pt->overrun;
	pt->overrun = 0;
}

static void timer_expired(struct posix_timer *pt, uint64_t now)
{
	uint64_t missed = 0;
	if (pt->interval) {
		missed = (now - pt->deadline) / pt->interval;
		pt->deadline += (missed + 1) * pt->interval;
		timer_arm(pt);
	}
	if (pt->notify == SIGEV_NONE)
		return;
	struct thread *target = NULL;
	if (pt->notify == SIGEV_THREAD_ID && !(target = thread_with_tid(pt->proc, pt->target_tid)))
		return; /* its thread is gone */
	if (pt->signal.queued)
		missed++;
	else
		signal_send_entry(pt->proc, target, &pt->signal);
	add_overruns(pt, missed);
}

static void posix_timer_fire(struct ktimer *k, uint64_t now)
{
	timer_expired((struct posix_timer *)((char *)k - offsetof(struct posix_timer, timer)), now);
}

static void posix_cpu_timer_fire(struct cpu_timer *c, uint64_t now)
{
	timer_expired((struct posix_timer *)((char *)c - offsetof(struct posix_timer, cpu_timer)), now);
}

static bool clock_supported(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return true;
	default:
		return false;
	}
}

static bool realtime_clock(int clock) { return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM; }

/* glibc names the caller's CPU clocks as clock_getcpuclockid makes them:
 * ~id << 3, bit 2 for a thread, the low two bits the kind (1 counts user
 * time alone, 3 is none); id 0 is the caller. The timer's clock becomes
 * CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID, and *tid the
 * thread's; false for another process's clock. */
static bool cpu_clock_of_caller(int *clock, int *tid, bool *user_only)
{
	int id = ~(*clock >> 3);
	bool thread = *clock & 4;
	if ((*clock & 3) == 3 ||
	    (id && (thread ? !thread_with_tid(current_process(), id) : id != current_process()->pid)))
		return false;
	*user_only = (*clock & 3) == 1;
	*tid = thread ? (id ? id : current_thread()->tid) : 0;
	*clock = thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
	return true;
}

long sys_timer_create(int clock, const struct sigevent_abi *sevp, int *timerid)
{
	int tid = clock == CLOCK_THREAD_CPUTIME_ID ? current_thread()->tid : 0;
	bool user_only = false;
	if (clock < 0 && !cpu_clock_of_caller(&clock, &tid, &user_only))
		return -EINVAL;
	if (!clock_supported(clock))
		return -EINVAL;
	struct sigevent_abi ev = {.signo = SIGALRM, .notify = SIGEV_SIGNAL};
	if (sevp && copy_from_user(&ev, sevp, sizeof ev))
		return -EFAULT;
	struct process *p = current_process();
	switch (ev.notify) {
	case SIGEV_NONE:
		break;
	case SIGEV_THREAD_ID:
		if (!thread_with_tid(p, ev.tid))
			return -EINVAL;
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev.signo <= 0 || ev.signo > NSIG_MAX)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	struct posix_timer *pt = kzalloc(sizeof *pt);
	if (!pt)
		return -EAGAIN;
	pt->id = next_timer_id;
	if (copy_to_user(timerid, &pt->id, sizeof pt->id)) {
		kfree(pt);
		return -EFAULT;
	}
	next_timer_id = (next_timer_id + 1) & __INT_MAX__;
	pt->timer.fire = posix_timer_fire;
	pt->cpu_timer = (struct cpu_timer){.proc = p, .tid = tid, .user_only = user_only, .fire = posix_cpu_timer_fire};
	pt->proc = p;
	pt->clock = clock;
	pt->notify = ev.notify;
	pt->target_tid = ev.tid;
	if (!sevp)
		ev.value = (uint64_t)pt->id;
	pt->signal = (struct queued_signal){
	    .info = {.signo = ev.signo, .code = SI_TIMER, .timer = {.id = pt->id, .value = ev.value}},
	    .dequeued = signal_taken,
	};
	pt->next = p->posix_timers;
	p->posix_timers = pt;
	return 0;
}

static struct __kernel_itimerspec current_setting(const struct posix_timer *pt)
{
	uint64_t left = 0;
	if (timer_armed(pt)) {
		uint64_t now = timer_clock(pt);
		left = pt->deadline > now ? pt->deadline - now : 1;
	}
	return (struct __kernel_itimerspec){.it_interval = timespec_from_ns(pt->interval),
	                                    .it_value = timespec_from_ns(left)};
}

long sys_timer_settime(int id, int flags, const struct __kernel_itimerspec *value, struct __kernel_itimerspec *old)
{
	struct posix_timer *pt = find_timer(id);
	if (!pt || !value)
		return -EINVAL;
	struct __kernel_itimerspec wanted;
	if (copy_from_user(&wanted, value, sizeof wanted))
		return -EFAULT;
	uint64_t ns, interval;
	if (timespec_to_ns(&wanted.it_value, &ns) || timespec_to_ns(&wanted.it_interval, &interval))
		return -EINVAL;
	struct __kernel_itimerspec previous = current_setting(pt);
	if (old && copy_to_user(old, &previous, sizeof previous))
		return -EFAULT;
	timer_disarm(pt);
	pt->overrun = pt->overrun_last = 0;
	pt->interval = ns ? interval : 0;
	if (!ns)
		return 0;
	uint64_t now = timer_clock(pt);
	if ((flags & TIMER_ABSTIME) && ns) {
		/* An absolute time on the timer's clock, as a deadline on the clock
		 * it counts by (monotonic, or its CPU clock).
		 * One already past has expired once, and a periodic timer once
		 * per interval since: all but the first are overruns, as Linux
		 * counts them. */
		uint64_t clock_now = realtime_clock(pt->clock) ? time_realtime_ns() : now;
		uint64_t late = clock_now > ns ? clock_now - ns : 0;
		ns = ns > clock_now ? ns - clock_now : 0;
		if (late && pt->interval) {
			add_overruns(pt, late / pt->interval);
			pt->deadline = now - (late % pt->interval < now ? late % pt->interval : now);
			timer_arm(pt);
			return 0;
		}
	}
	pt->deadline = now + ns;
	timer_arm(pt);
	return 0;
}

long sys_timer_gettime(int id, struct __kernel_itimerspec *value)
{
	struct posix_timer *pt = find_timer(id);
	if (!pt)
		return -EINVAL;
	struct __kernel_itimerspec now = current_setting(pt);
	return copy_to_user(value, &now, sizeof now) ? -EFAULT : 0;
}

long sys_timer_getoverrun(int id)
{
	struct posix_timer *pt = find_timer(id);
	return pt ? pt->overrun_last : -EINVAL;
}

static void timer_remove(struct process *p, struct posix_timer **at)
{
	struct posix_timer *pt = *at;
	*at = pt->next;
	timer_disarm(pt);
	signal_cancel_entry(p, &pt->signal);
	kfree(pt);
}

long sys_timer_delete(int id)
{
	struct process *p = current_process();
	for (struct posix_timer **at = &p->posix_timers; *at; at = &(*at)->next) {
		if ((*at)->id == id) {
			timer_remove(p, at);
			return 0;
		}
	}
	return -EINVAL;
}

/* A process's timers end with it, and with its program at exec. */
static void delete_all_timers(struct process *p)
{
	while (p->posix_timers)
		timer_remove(p, &p->posix_timers);
}
PROCESS_EXIT_HOOK(delete_all_timers);
PROCESS_EXEC_HOOK(delete_all_timers);
