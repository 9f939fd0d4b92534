/* Scheduling parameters: policy, priority, nice value, CPU affinity, I/O
 * priority, and membarrier. The parameters are each thread's
 * (kernel/sched/policy.h); a pid argument names any thread or process, 0
 * the caller, as on Linux. There is one CPU. */
#include <linux/membarrier.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_USER 3
#define IOPRIO_CLASS_RT 1
#define SETPARAM_POLICY (-1)
#define SCHED_ATTR_SIZE_VER0 48
#define MAX_ATTR_SIZE 4096 /* a page, Linux's bound */

/* The thread a pid argument names: the caller for 0, NULL when none. */
static struct thread *thread_named(int pid) { return pid == 0 ? current_thread() : thread_by_tid(pid); }

long sys_sched_getscheduler(int pid)
{
	if (pid < 0)
		return -EINVAL;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	return t->sched.policy | (t->sched.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

/* sched_setscheduler and sched_setparam (policy -1): Linux's legacy path,
 * where the nice value stays and SCHED_RESET_ON_FORK rides in the policy. */
static long set_from_param(int pid, int policy, const struct sched_param *param)
{
	struct sched_param p;
	if (pid < 0 || !param)
		return -EINVAL;
	if (copy_from_user(&p, param, sizeof p))
		return -EFAULT;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	struct sched_attr attr = {.sched_priority = (uint32_t)p.sched_priority, .sched_nice = t->sched.nice};
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	attr.sched_policy = (uint32_t)policy;
	return sched_policy_set(t, &attr);
}

long sys_sched_setscheduler(int pid, int policy, const struct sched_param *param)
{
	return policy < 0 ? -EINVAL : set_from_param(pid, policy, param);
}

long sys_sched_setparam(int pid, const struct sched_param *param)
{
	return set_from_param(pid, SETPARAM_POLICY, param);
}

long sys_sched_getparam(int pid, struct sched_param *param)
{
	if (pid < 0 || !param)
		return -EINVAL;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	struct sched_param p = {.sched_priority = t->sched.rt_priority};
	return copy_to_user(param, &p, sizeof p) ? -EFAULT : 0;
}

/* The parameters of t's policy, as Linux's get_params fills them. */
static void get_params(const struct thread *t, struct sched_attr *attr)
{
	const struct sched_policy *sp = &t->sched;
	if (sp->policy == SCHED_DEADLINE) {
		attr->sched_runtime = sp->dl_runtime;
		attr->sched_deadline = sp->dl_deadline;
		attr->sched_period = sp->dl_period;
	} else if (sp->policy == SCHED_FIFO || sp->policy == SCHED_RR) {
		attr->sched_priority = (uint32_t)sp->rt_priority;
	} else {
		attr->sched_nice = sp->nice;
	}
}

/* Copies a struct sched_attr of the app's size: a shorter one reads as
 * zeros, a longer one must be zeros past what sole knows. A size out of
 * bounds is E2BIG, and the kernel's size is written back for the app to
 * see, as Linux's sched_copy_attr does. */
static long copy_attr_from_user(struct sched_attr *attr, struct sched_attr *uattr)
{
	uint32_t size;
	if (copy_from_user(&size, &uattr->size, sizeof size))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	int err = size >= SCHED_ATTR_SIZE_VER0 && size <= MAX_ATTR_SIZE
	              ? copy_struct_from_user(attr, sizeof *attr, uattr, size)
	              : -E2BIG;
	if (err == -E2BIG) {
		uint32_t ksize = sizeof *attr;
		copy_to_user(&uattr->size, &ksize, sizeof ksize); /* a fault here leaves E2BIG, as on Linux */
	}
	if (err)
		return err;
	if ((attr->sched_flags & SCHED_FLAG_UTIL_CLAMP) && size < sizeof *attr)
		return -EINVAL;
	attr->sched_nice = attr->sched_nice < -20 ? -20 : attr->sched_nice > 19 ? 19 : attr->sched_nice;
	return 0;
}

long sys_sched_setattr(int pid, struct sched_attr *uattr, unsigned flags)
{
	struct sched_attr attr;
	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	long err = copy_attr_from_user(&attr, uattr);
	if (err)
		return err;
	if ((int)attr.sched_policy < 0)
		return -EINVAL;
	if (attr.sched_flags & SCHED_FLAG_KEEP_POLICY)
		attr.sched_policy = (uint32_t)SETPARAM_POLICY;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	if (attr.sched_flags & SCHED_FLAG_KEEP_PARAMS)
		get_params(t, &attr);
	return sched_policy_set(t, &attr);
}

/* Writes as much of the attributes as the app has room for, and zeros
 * past them up to its size (Linux 6.13's copy_struct_to_user); attr.size
 * says how much the kernel knows. */
long sys_sched_getattr(int pid, struct sched_attr *uattr, unsigned size, unsigned flags)
{
	if (!uattr || pid < 0 || size > MAX_ATTR_SIZE || size < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	struct sched_attr attr = {.sched_policy = (uint32_t)t->sched.policy};
	if (t->sched.reset_on_fork)
		attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	get_params(t, &attr);
	attr.size = size < sizeof attr ? size : sizeof attr;
	if (copy_to_user(uattr, &attr, attr.size))
		return -EFAULT;
	static const unsigned char zeros[64];
	for (unsigned off = sizeof attr; off < size; off += sizeof zeros) {
		unsigned n = size - off < sizeof zeros ? size - off : sizeof zeros;
		if (copy_to_user((unsigned char *)uattr + off, zeros, n))
			return -EFAULT;
	}
	return 0;
}

/* The non-real-time policies (SCHED_DEADLINE among them) have priority 0 only. */
static bool zero_priority_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

long sys_sched_get_priority_max(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR ? 99 : zero_priority_policy(policy) ? 0 : -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR ? 1 : zero_priority_policy(policy) ? 0 : -EINVAL;
}

/* SCHED_RR's quantum; 0 for FIFO and DEADLINE, and for SCHED_OTHER, which
 * has no fixed one (Linux answers 0 when its slice is under a jiffy). */
long sys_sched_rr_get_interval(int pid, struct __kernel_timespec *interval)
{
	if (pid < 0)
		return -EINVAL;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	struct __kernel_timespec slice = {0, 0};
	if (t->sched.policy == SCHED_RR)
		slice.tv_nsec = RR_TIMESLICE_NS;
	return copy_to_user(interval, &slice, sizeof slice) ? -EFAULT : 0;
}

/* The online CPUs, by index: every CPU that came up stays online. */
static uint64_t online_cpus(void) { return cpu_count >= 64 ? ~0ull : (1ull << cpu_count) - 1; }

/* As Linux: the mask is read first (bytes past len count as 0), then the
 * thread found and the caller's right to change it checked; a mask with
 * no online CPU is EINVAL. */
long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *mask)
{
	uint64_t wanted = 0;
	if (copy_from_user(&wanted, mask, len < sizeof wanted ? len : sizeof wanted))
		return -EFAULT;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	if (!sched_policy_owner_or_root(t))
		return -EPERM;
	wanted &= online_cpus();
	if (!wanted)
		return -EINVAL;
	sched_set_affinity(t, wanted);
	return 0;
}

/* len must hold a bit per CPU and be whole longs; the answer is the size
 * of Linux's cpumask for up to 64 CPUs, one long. */
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *mask)
{
	if ((uint64_t)len * 8 < (uint64_t)cpu_count || len < sizeof(uint64_t) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	struct thread *t = thread_named(pid);
	if (!t)
		return -ESRCH;
	uint64_t allowed = t->cpu_mask & online_cpus();
	return copy_to_user(mask, &allowed, sizeof allowed) ? -EFAULT : (long)sizeof allowed;
}

long sys_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	unsigned here = (unsigned)cpu_index(), zero = 0;
	if ((cpu && copy_to_user(cpu, &here, sizeof here)) || (node && copy_to_user(node, &zero, sizeof zero)))
		return -EFAULT;
	return 0;
}

/* The threads a PRIO_* which and who name, as Linux's getpriority and
 * setpriority walk them: one thread, every thread of a process group, or
 * every thread of the processes whose real user is who; 0 means the
 * caller's. visit sees each. */
struct prio_walk {
	void (*visit)(struct thread *t, struct prio_walk *w);
	int value;   /* what setpriority and ioprio_set set */
	long result; /* -ESRCH until a thread is found; the walk's answer */
};

static bool process_in(const struct process *p, int which, int who)
{
	if (p->state != PROCESS_ALIVE)
		return false;
	return which == PRIO_PGRP ? p->pgid == who : p->cred.ruid == (uint32_t)who;
}

static void prio_walk(int which, int who, struct prio_walk *w)
{
	w->result = -ESRCH;
	if (which == PRIO_PROCESS) {
		struct thread *t = thread_named(who);
		if (t)
			w->visit(t, w);
		return;
	}
	if (who == 0)
		who = which == PRIO_PGRP ? current_process()->pgid : (int)current_process()->cred.ruid;
	for (struct process *p = process_first(); p; p = process_next(p))
		if (process_in(p, which, who))
			for (struct thread *t = p->threads; t; t = t->next_in_process)
				if (t->state != THREAD_DEAD)
					w->visit(t, w);
}

/* getpriority answers 20 - nice (Linux's syscall convention), so never
 * negative: the highest priority among the threads named. */
static void highest_priority(struct thread *t, struct prio_walk *w)
{
	if (20 - t->sched.nice > w->result)
		w->result = 20 - t->sched.nice;
}

long sys_getpriority(int which, int who)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return -EINVAL;
	struct prio_walk w = {.visit = highest_priority};
	prio_walk(which, who, &w);
	return w.result;
}

/* Linux's set_one_prio: a refusal stays the answer, a success only
 * replaces ESRCH. */
static void set_nice(struct thread *t, struct prio_walk *w)
{
	long err = sched_policy_set_nice(t, w->value);
	if (err)
		w->result = err;
	else if (w->result == -ESRCH)
		w->result = 0;
}

long sys_setpriority(int which, int who, int nice)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return -EINVAL;
	struct prio_walk w = {.visit = set_nice, .value = nice < -20 ? -20 : nice > 19 ? 19 : nice};
	prio_walk(which, who, &w);
	return w.result;
}

/* ioprio's IOPRIO_WHO_* are PRIO_* + 1. The best of several is the lowest value. */
static void best_ioprio(struct thread *t, struct prio_walk *w)
{
	if (w->result == -ESRCH || t->sched.ioprio < w->result)
		w->result = t->sched.ioprio;
}

long sys_ioprio_get(int which, int who)
{
	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	struct prio_walk w = {.visit = best_ioprio};
	prio_walk(which - 1, who, &w);
	return w.result;
}

/* Linux's set_task_ioprio: the caller's euid or ruid must be the thread's ruid, or CAP_SYS_NICE. */
static void set_ioprio(struct thread *t, struct prio_walk *w)
{
	const struct credentials *me = &current_process()->cred;
	uint32_t owner = t->proc->cred.ruid;
	if (owner != me->euid && owner != me->ruid && !capable(CAP_SYS_NICE)) {
		w->result = -EPERM;
		return;
	}
	t->sched.ioprio = w->value;
	if (w->result == -ESRCH)
		w->result = 0;
}

long sys_ioprio_set(int which, int who, int ioprio)
{
	unsigned class = (unsigned)ioprio >> 13;
	if (class > 3 || (class != 0 && class != 3 && (ioprio & 0x1fff) > 7))
		return -EINVAL;
	if (class == IOPRIO_CLASS_RT && !capable(CAP_SYS_NICE) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	struct prio_walk w = {.visit = set_ioprio, .value = ioprio};
	prio_walk(which - 1, who, &w);
	return w.result;
}

/* With one CPU, every thread already sees every other thread's stores in
 * order when it next runs: each barrier the commands ask for holds. */
long sys_membarrier(int cmd, unsigned flags, int cpu_id)
{
	(void)cpu_id;
	const int supported = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
	                      MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |
	                      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	if (flags)
		return -EINVAL;
	if (cmd == MEMBARRIER_CMD_QUERY)
		return supported;
	return (cmd & supported) && !(cmd & (cmd - 1)) ? 0 : -EINVAL;
}
