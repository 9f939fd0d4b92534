/* setitimer, getitimer and alarm: the process's three interval timers.
 * ITIMER_REAL counts wall time and sends SIGALRM; ITIMER_VIRTUAL counts
 * the process's user time and sends SIGVTALRM; ITIMER_PROF counts its user
 * and system time and sends SIGPROF (kernel/sched/cpu_timer.h). */
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

#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ull
#define ITIMER_COUNT 3

struct itimer {
	struct ktimer timer;        /* ITIMER_REAL's */
	struct cpu_timer cpu_timer; /* ITIMER_VIRTUAL's and ITIMER_PROF's */
	struct process *proc;
	int signo;
	uint64_t deadline; /* ns on its clock while armed */
	uint64_t interval; /* ns, 0 for a one-shot */
};

struct itimers {
	struct itimer which[ITIMER_COUNT];
};

static const int itimer_signal[ITIMER_COUNT] = {
    [ITIMER_REAL] = SIGALRM, [ITIMER_VIRTUAL] = SIGVTALRM, [ITIMER_PROF] = SIGPROF};

static bool counts_cpu_time(const struct itimer *it) { return it->signo != SIGALRM; }

static void itimer_arm(struct itimer *it)
{
	if (counts_cpu_time(it))
		cpu_timer_arm(&it->cpu_timer, it->deadline);
	else
		ktimer_arm(&it->timer, it->deadline);
}

static bool itimer_armed(const struct itimer *it)
{
	return counts_cpu_time(it) ? cpu_timer_armed(&it->cpu_timer) : ktimer_armed(&it->timer);
}

/* Its clock: monotonic, or the process's CPU time. */
static uint64_t itimer_clock(const struct itimer *it)
{
	return counts_cpu_time(it) ? cpu_timer_clock(&it->cpu_timer) : time_monotonic_ns();
}

static void itimer_expired(struct itimer *it, uint64_t now)
{
	struct signal_info info = {.signo = it->signo, .code = SI_KERNEL};
	if (it->interval) {
		/* Periods missed while the CPU was away are dropped, as on Linux. */
		uint64_t periods = (now - it->deadline) / it->interval + 1;
		it->deadline += periods * it->interval;
		itimer_arm(it);
	}
	signal_send_process(it->proc, &info);
}

static void itimer_fire(struct ktimer *k, uint64_t now)
{
	itimer_expired((struct itimer *)((char *)k - offsetof(struct itimer, timer)), now);
}

static void itimer_cpu_fire(struct cpu_timer *c, uint64_t now)
{
	itimer_expired((struct itimer *)((char *)c - offsetof(struct itimer, cpu_timer)), now);
}

static struct itimer *itimer_of(int which)
{
	struct process *p = current_process();
	if (!p->itimers) {
		p->itimers = kzalloc(sizeof *p->itimers);
		if (!p->itimers)
			return NULL;
		for (int i = 0; i < ITIMER_COUNT; i++)
			p->itimers->which[i] = (struct itimer){
			    .timer = {.fire = itimer_fire},
			    .cpu_timer = {.proc = p, .user_only = i == ITIMER_VIRTUAL, .fire = itimer_cpu_fire},
			    .proc = p,
			    .signo = itimer_signal[i]};
	}
	return &p->itimers->which[which];
}

static struct __kernel_old_timeval to_timeval(uint64_t ns)
{
	return (struct __kernel_old_timeval){.tv_sec = (long)(ns / (USEC_PER_SEC * NSEC_PER_USEC)),
	                                     .tv_usec = (long)(ns / NSEC_PER_USEC % USEC_PER_SEC)};
}

/* What getitimer reports: an armed timer never shows zero left. */
static struct __kernel_old_itimerval current_setting(const struct itimer *it)
{
	uint64_t left = 0;
	if (itimer_armed(it)) {
		uint64_t now = itimer_clock(it);
		left = it->deadline > now ? it->deadline - now : 0;
		if (left < NSEC_PER_USEC)
			left = NSEC_PER_USEC;
	}
	return (struct __kernel_old_itimerval){.it_interval = to_timeval(it->interval), .it_value = to_timeval(left)};
}

static int timeval_ns(const struct __kernel_old_timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= (long)USEC_PER_SEC)
		return -EINVAL;
	*ns = ((uint64_t)tv->tv_sec * USEC_PER_SEC + (uint64_t)tv->tv_usec) * NSEC_PER_USEC;
	return 0;
}

static void itimer_set(struct itimer *it, uint64_t value, uint64_t interval)
{
	ktimer_cancel(&it->timer);
	cpu_timer_cancel(&it->cpu_timer);
	it->interval = value ? interval : 0;
	if (!value)
		return;
	it->deadline = itimer_clock(it) + value;
	itimer_arm(it);
}

long sys_getitimer(int which, struct __kernel_old_itimerval *value)
{
	if (which < 0 || which >= ITIMER_COUNT)
		return -EINVAL;
	struct itimer *it = itimer_of(which);
	if (!it)
		return -ENOMEM;
	struct __kernel_old_itimerval now = current_setting(it);
	return copy_to_user(value, &now, sizeof now) ? -EFAULT : 0;
}

long sys_setitimer(int which, const struct __kernel_old_itimerval *value, struct __kernel_old_itimerval *old)
{
	if (which < 0 || which >= ITIMER_COUNT)
		return -EINVAL;
	struct __kernel_old_itimerval wanted = {0};
	if (value && copy_from_user(&wanted, value, sizeof wanted))
		return -EFAULT;
	uint64_t ns, interval_ns;
	if (timeval_ns(&wanted.it_value, &ns) || timeval_ns(&wanted.it_interval, &interval_ns))
		return -EINVAL;
	struct itimer *it = itimer_of(which);
	if (!it)
		return -ENOMEM;
	struct __kernel_old_itimerval previous = current_setting(it);
	if (old && copy_to_user(old, &previous, sizeof previous))
		return -EFAULT;
	itimer_set(it, ns, interval_ns);
	return 0;
}

long sys_alarm(unsigned seconds)
{
	struct itimer *it = itimer_of(ITIMER_REAL);
	if (!it)
		return 0;
	struct __kernel_old_itimerval previous = current_setting(it);
	itimer_set(it, seconds * USEC_PER_SEC * NSEC_PER_USEC, 0);
	/* Linux rounds the time left to the nearest second, and never to 0. */
	long left = previous.it_value.tv_sec;
	if ((!left && previous.it_value.tv_usec) || previous.it_value.tv_usec >= 500000)
		left++;
	return left;
}

/* The interval timers end with the process; they survive exec, as on Linux. */
static void stop_interval_timers(struct process *p)
{
	if (!p->itimers)
		return;
	for (int i = 0; i < ITIMER_COUNT; i++) {
		ktimer_cancel(&p->itimers->which[i].timer);
		cpu_timer_cancel(&p->itimers->which[i].cpu_timer);
	}
	kfree(p->itimers);
	p->itimers = NULL;
}
PROCESS_EXIT_HOOK(stop_interval_timers);
