/* Scheduling parameters: policy, priority, nice value, CPU affinity, I/O
 * priority, and membarrier. There is one CPU and one policy, SCHED_OTHER
 * (round robin over ready threads); the settings Linux would record are
 * recorded and reported back. */
#include <linux/membarrier.h>
#include <linux/sched.h>
#include <linux/sched/types.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_USER 3
#define DEFAULT_IOPRIO ((2 << 13) | 4) /* best effort, level 4 */

static int nice_value;
static int io_priority = DEFAULT_IOPRIO;

/* pid 0 means the caller; any of the app's threads or the process itself. */
long sys_sched_getscheduler(int pid)
{
	if (pid < 0)
		return -EINVAL;
	return process_is_named_by(current_process(), pid) ? SCHED_NORMAL : -ESRCH;
}

long sys_sched_setscheduler(int pid, int policy, const struct sched_param *param)
{
	struct sched_param p;
	if (pid < 0 || !param)
		return -EINVAL;
	if (copy_from_user(&p, param, sizeof p))
		return -EFAULT;
	if (!process_is_named_by(current_process(), pid))
		return -ESRCH;
	policy &= ~SCHED_RESET_ON_FORK;
	if (policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE)
		return p.sched_priority == 0 ? 0 : -EINVAL;
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return p.sched_priority >= 1 && p.sched_priority <= 99 ? -EPERM : -EINVAL; /* no real-time class */
	return -EINVAL;
}

long sys_sched_getparam(int pid, struct sched_param *param)
{
	if (pid < 0 || !param)
		return -EINVAL;
	if (!process_is_named_by(current_process(), pid))
		return -ESRCH;
	struct sched_param p = {.sched_priority = 0};
	return copy_to_user(param, &p, sizeof p) ? -EFAULT : 0;
}

long sys_sched_setparam(int pid, const struct sched_param *param)
{
	return sys_sched_setscheduler(pid, SCHED_NORMAL, param);
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

long sys_sched_rr_get_interval(int pid, struct __kernel_timespec *interval)
{
	if (pid < 0)
		return -EINVAL;
	if (!process_is_named_by(current_process(), pid))
		return -ESRCH;
	struct __kernel_timespec slice = {0, 0}; /* SCHED_OTHER: no fixed quantum, as Linux answers */
	return copy_to_user(interval, &slice, sizeof slice) ? -EFAULT : 0;
}

long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *mask)
{
	unsigned long first_word;
	if (!process_is_named_by(current_process(), pid))
		return -ESRCH;
	if (len < sizeof first_word)
		return -EINVAL;
	if (copy_from_user(&first_word, mask, sizeof first_word))
		return -EFAULT;
	return first_word & 1 ? 0 : -EINVAL; /* the mask must include CPU 0, the only one */
}

long sys_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	unsigned zero = 0;
	if ((cpu && copy_to_user(cpu, &zero, sizeof zero)) || (node && copy_to_user(node, &zero, sizeof zero)))
		return -EFAULT;
	return 0;
}

/* getpriority answers 20 - nice (Linux's syscall convention), so never negative. */
long sys_getpriority(int which, int who)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return -EINVAL;
	if (which == PRIO_PROCESS && !process_is_named_by(current_process(), who))
		return -ESRCH;
	if (which == PRIO_USER && who != 0)
		return -ESRCH;
	if (which == PRIO_PGRP && who != 0 && who != current_process()->pgid)
		return -ESRCH;
	return 20 - nice_value;
}

long sys_setpriority(int which, int who, int nice)
{
	long err = sys_getpriority(which, who);
	if (err < 0)
		return err;
	nice_value = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	return 0;
}

long sys_ioprio_get(int which, int who)
{
	if (which != IOPRIO_WHO_PROCESS && which != IOPRIO_WHO_USER && which != 2)
		return -EINVAL;
	if (which == IOPRIO_WHO_PROCESS && !process_is_named_by(current_process(), who))
		return -ESRCH;
	return io_priority;
}

long sys_ioprio_set(int which, int who, int ioprio)
{
	long err = sys_ioprio_get(which, who);
	if (err < 0)
		return err;
	unsigned class = (unsigned)ioprio >> 13;
	if (class > 3 || (class != 0 && class != 3 && (ioprio & 0x1fff) > 7))
		return -EINVAL;
	io_priority = ioprio;
	return 0;
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
