/* Scheduling parameters and Linux's rules for them, see policy.h. The
 * checks follow Linux's __sched_setscheduler in its order; CAP_SYS_NICE
 * passes every permission check. */
#include "kernel/sched/policy.h"

#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/resource.h>

#include "kernel/errno.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/futex_pi.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"

#define SETPARAM_POLICY (-1)
#define DEFAULT_IOPRIO ((2 << 13) | 4) /* best effort, level 4 */
#define SCHED_FLAG_SUGOV 0x10000000
#define DL_MIN_RUNTIME_NS 1024ull            /* Linux keeps runtime in units of 2^10 ns */
#define DL_PERIOD_MIN_NS 100000ull           /* sched_deadline_period_min_us, 100 */
#define DL_PERIOD_MAX_NS (4194304ull * 1000) /* sched_deadline_period_max_us, 2^22 */
#define BW_SHIFT 20
#define DL_BW_LIMIT ((950000ull << BW_SHIFT) / 1000000) /* sched_rt_runtime_us / sched_rt_period_us */

void sched_policy_init(struct sched_policy *sp)
{
	*sp = (struct sched_policy){.policy = SCHED_NORMAL, .ioprio = DEFAULT_IOPRIO};
}

static bool rt_policy(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }
static bool fair_policy(int policy) { return policy == SCHED_NORMAL || policy == SCHED_BATCH; }

void sched_policy_inherit(struct sched_policy *child, const struct sched_policy *parent)
{
	*child = *parent;
	child->pi_level = 0;
	if (!parent->reset_on_fork)
		return;
	if (rt_policy(parent->policy) || parent->policy == SCHED_DEADLINE) {
		child->policy = SCHED_NORMAL;
		child->rt_priority = 0;
		child->nice = 0;
		child->dl_runtime = child->dl_deadline = child->dl_period = 0;
	} else if (child->nice < 0) {
		child->nice = 0;
	}
	child->reset_on_fork = false;
}

bool sched_policy_may_fork(const struct sched_policy *sp) { return sp->policy != SCHED_DEADLINE || sp->reset_on_fork; }

static int own_level(const struct sched_policy *sp)
{
	if (sp->policy == SCHED_DEADLINE)
		return SCHED_LEVEL_DEADLINE;
	return rt_policy(sp->policy) ? sp->rt_priority : 0;
}

int sched_policy_level(const struct sched_policy *sp)
{
	int own = own_level(sp);
	return sp->pi_level > own ? sp->pi_level : own;
}

void sched_policy_lend(struct thread *t, int level)
{
	int old_level = sched_policy_level(&t->sched);
	t->sched.pi_level = level;
	sched_level_changed(t, old_level);
}

#define BASE_SLICE_NS 10000000ull
#define MIN_SLICE_NS 1000000ull
#define MAX_SLICE_NS 100000000ull

uint64_t sched_policy_slice_ns(const struct sched_policy *sp)
{
	if (sp->policy == SCHED_RR)
		return RR_TIMESLICE_NS;
	uint64_t slice = BASE_SLICE_NS;
	for (int n = sp->nice; n > 0 && slice > MIN_SLICE_NS; n--)
		slice = slice * 4 / 5;
	for (int n = sp->nice; n < 0 && slice < MAX_SLICE_NS; n++)
		slice = slice * 5 / 4;
	return slice < MIN_SLICE_NS ? MIN_SLICE_NS : slice > MAX_SLICE_NS ? MAX_SLICE_NS : slice;
}

bool sched_policy_owner_or_root(const struct thread *t)
{
	const struct credentials *me = &current_process()->cred, *them = &t->proc->cred;
	return me->euid == them->euid || me->euid == them->ruid || capable(CAP_SYS_NICE);
}

/* Linux's can_nice: nice n counts as 20 - n against RLIMIT_NICE. */
static bool may_nice(const struct thread *t, int nice)
{
	return (uint64_t)(20 - nice) <= t->proc->rlimits[RLIMIT_NICE].rlim_cur || capable(CAP_SYS_NICE);
}

/* runtime <= deadline <= period (the deadline when 0), within Linux's bounds. */
static bool valid_deadline(const struct sched_attr *a)
{
	uint64_t period = a->sched_period ? a->sched_period : a->sched_deadline;
	if (a->sched_deadline == 0 || a->sched_runtime < DL_MIN_RUNTIME_NS)
		return false;
	if ((a->sched_deadline | a->sched_period) >> 63)
		return false;
	if (period < a->sched_deadline || a->sched_deadline < a->sched_runtime)
		return false;
	return period >= DL_PERIOD_MIN_NS && period <= DL_PERIOD_MAX_NS;
}

static uint64_t deadline_bandwidth(uint64_t runtime, uint64_t deadline, uint64_t period)
{
	return (runtime << BW_SHIFT) / (period ? period : deadline);
}

/* Linux's admission test on one CPU: the reservations of every deadline
 * thread, t's new one included, stay within 95% of it. */
static bool deadline_fits(const struct thread *t, const struct sched_attr *a)
{
	uint64_t total = deadline_bandwidth(a->sched_runtime, a->sched_deadline, a->sched_period);
	for (struct process *p = process_first(); p; p = process_next(p))
		for (const struct thread *o = p->threads; o; o = o->next_in_process)
			if (o != t && o->state != THREAD_DEAD && o->sched.policy == SCHED_DEADLINE)
				total +=
				    deadline_bandwidth(o->sched.dl_runtime, o->sched.dl_deadline, o->sched.dl_period);
	return total <= DL_BW_LIMIT;
}

/* Linux's user_check_sched_setscheduler: what a caller without
 * CAP_SYS_NICE may not do. */
static long check_unprivileged(const struct thread *t, const struct sched_attr *a, int policy, bool reset_on_fork)
{
	const struct sched_policy *now = &t->sched;
	if (capable(CAP_SYS_NICE))
		return 0;
	if (fair_policy(policy) && a->sched_nice < now->nice && !may_nice(t, a->sched_nice))
		return -EPERM;
	if (rt_policy(policy)) {
		uint64_t limit = t->proc->rlimits[RLIMIT_RTPRIO].rlim_cur;
		if (policy != now->policy && !limit)
			return -EPERM;
		if (a->sched_priority > (unsigned)now->rt_priority && a->sched_priority > limit)
			return -EPERM;
	}
	if (policy == SCHED_DEADLINE)
		return -EPERM;
	if (now->policy == SCHED_IDLE && policy != SCHED_IDLE && !may_nice(t, now->nice))
		return -EPERM;
	if (!sched_policy_owner_or_root(t))
		return -EPERM;
	if (now->reset_on_fork && !reset_on_fork)
		return -EPERM;
	return 0;
}

long sched_policy_set(struct thread *t, const struct sched_attr *a)
{
	int policy = (int)a->sched_policy;
	bool reset_on_fork = a->sched_flags & SCHED_FLAG_RESET_ON_FORK;
	if (policy == SETPARAM_POLICY) {
		policy = t->sched.policy;
		reset_on_fork = t->sched.reset_on_fork;
	} else if (!fair_policy(policy) && !rt_policy(policy) && policy != SCHED_IDLE && policy != SCHED_DEADLINE) {
		return -EINVAL;
	}
	if (a->sched_flags & ~(uint64_t)(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV))
		return -EINVAL;
	if (a->sched_priority > 99 || rt_policy(policy) != (a->sched_priority != 0))
		return -EINVAL;
	if (policy == SCHED_DEADLINE && !valid_deadline(a))
		return -EINVAL;
	if (a->sched_flags & SCHED_FLAG_SUGOV)
		return -EINVAL;
	long err = check_unprivileged(t, a, policy, reset_on_fork);
	if (err)
		return err;
	if (a->sched_flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP; /* as a Linux built without CONFIG_UCLAMP_TASK */
	if (policy == SCHED_DEADLINE && !deadline_fits(t, a))
		return -EBUSY;
	struct sched_policy *sp = &t->sched;
	int old_level = sched_policy_level(sp);
	sp->policy = policy;
	sp->reset_on_fork = reset_on_fork;
	sp->rt_priority = (int)a->sched_priority;
	if (fair_policy(policy))
		sp->nice = a->sched_nice;
	if (policy == SCHED_DEADLINE) {
		sp->dl_runtime = a->sched_runtime;
		sp->dl_deadline = a->sched_deadline;
		sp->dl_period = a->sched_period ? a->sched_period : a->sched_deadline;
	}
	sched_level_changed(t, old_level);
	futex_pi_waiter_level_changed(t);
	return 0;
}

long sched_policy_set_nice(struct thread *t, int nice)
{
	if (!sched_policy_owner_or_root(t))
		return -EPERM;
	if (nice < t->sched.nice && !may_nice(t, nice))
		return -EACCES;
	t->sched.nice = nice;
	return 0;
}
