/* CPU-time timers, see cpu_timer.h. The armed ones sit in one unsorted
 * list (a handful: each process has at most two itimers and its own few
 * POSIX timers on CPU clocks), walked for the running process's only. */
#include "kernel/sched/cpu_timer.h"

#include <linux/resource.h>

#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/sched.h"

#define NSEC_PER_SEC 1000000000ull

static struct cpu_timer *armed;

void cpu_timer_cancel(struct cpu_timer *t)
{
	for (struct cpu_timer **at = &armed; *at; at = &(*at)->next)
		if (*at == t) {
			*at = t->next;
			break;
		}
	t->expires = 0;
}

void cpu_timer_arm(struct cpu_timer *t, uint64_t expires)
{
	cpu_timer_cancel(t);
	t->expires = expires;
	t->next = armed;
	armed = t;
	sched_timers_changed();
}

uint64_t cpu_timer_clock(const struct cpu_timer *t)
{
	struct cpu_times c;
	if (t->tid) {
		struct thread *th = thread_by_tid(t->tid);
		if (!th || th->proc != t->proc)
			return 0;
		c = cputime_thread(th);
	} else {
		c = cputime_process(t->proc);
	}
	return t->user_only ? c.user_ns : cpu_times_total(c);
}

/* RLIMIT_CPU in ns of process CPU time: the soft limit, or the hard one
 * when that comes first; 0 for none. */
static uint64_t cpu_limit_ns(const struct process *p)
{
	uint64_t soft = p->rlimits[RLIMIT_CPU].rlim_cur, hard = p->rlimits[RLIMIT_CPU].rlim_max;
	uint64_t limit = soft < hard ? soft : hard;
	return limit == RLIM64_INFINITY ? 0 : limit * NSEC_PER_SEC;
}

uint64_t cpu_timers_next_ns(const struct process *p)
{
	uint64_t soonest = 0;
	uint64_t limit = cpu_limit_ns(p);
	if (limit) {
		uint64_t used = cpu_times_total(cputime_process(p));
		soonest = limit > used ? limit - used : 1;
	}
	for (const struct cpu_timer *t = armed; t; t = t->next) {
		if (t->proc != p)
			continue;
		uint64_t now = cpu_timer_clock(t);
		uint64_t left = t->expires > now ? t->expires - now : 1;
		if (!soonest || left < soonest)
			soonest = left;
	}
	return soonest;
}

/* As Linux: SIGKILL at the hard limit; SIGXCPU at the soft one, which then
 * moves one second on, so the signal comes again every CPU second. */
static void check_cpu_limit(struct process *p)
{
	if (!cpu_limit_ns(p))
		return;
	struct rlimit64 *lim = &p->rlimits[RLIMIT_CPU];
	uint64_t used = cpu_times_total(cputime_process(p));
	if (lim->rlim_max != RLIM64_INFINITY && used >= lim->rlim_max * NSEC_PER_SEC) {
		signal_send_process(p, &(struct signal_info){.signo = SIGKILL, .code = SI_KERNEL});
		return;
	}
	if (lim->rlim_cur != RLIM64_INFINITY && used >= lim->rlim_cur * NSEC_PER_SEC) {
		signal_send_process(p, &(struct signal_info){.signo = SIGXCPU, .code = SI_KERNEL});
		lim->rlim_cur++;
	}
}

void cpu_timers_run(struct process *p)
{
	check_cpu_limit(p);
	/* A fire may re-arm its timer at the list's head: start over after each. */
	for (struct cpu_timer *t = armed; t;) {
		uint64_t now = t->proc == p ? cpu_timer_clock(t) : 0;
		if (t->proc != p || now < t->expires) {
			t = t->next;
			continue;
		}
		cpu_timer_cancel(t);
		t->fire(t, now);
		t = armed;
	}
}
