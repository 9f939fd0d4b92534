/* clone, clone3, fork and vfork: decoding the app's request; the new
 * thread or process is made in kernel/proc/clone.c. exit ends a thread. */
#include <linux/sched.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/clone.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"

long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid, int *child_tid, unsigned long tls)
{
	struct clone_request r = {
	    .flags = flags & ~(unsigned long)CSIGNAL,
	    .exit_signal = (int)(flags & CSIGNAL),
	    .stack = newsp,
	    .tls = tls,
	    .parent_tid = (uint64_t)parent_tid,
	    .child_tid = (uint64_t)child_tid,
	    .pidfd = (uint64_t)parent_tid, /* clone puts the pidfd where the parent's tid would go */
	};
	if (r.exit_signal > NSIG)
		return -EINVAL;
	if ((r.flags & CLONE_PIDFD) && (r.flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	/* clone leaves the exit signal of a thread unused; clone3 insists on 0. */
	if (r.flags & CLONE_THREAD)
		r.exit_signal = 0;
	return process_clone(&r);
}

long sys_clone3(const struct clone_args *user_args, size_t size)
{
	struct clone_args a;
	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	int err = copy_struct_from_user(&a, sizeof a, user_args, size);
	if (err)
		return err;
	if (a.set_tid || a.set_tid_size || a.cgroup || (a.flags & CLONE_INTO_CGROUP))
		return -EINVAL; /* choosing pids and cgroups need privileges a container lacks */
	if (a.exit_signal > NSIG || (a.flags & CSIGNAL))
		return -EINVAL;
	if ((a.flags & CLONE_THREAD) && a.exit_signal)
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	struct clone_request r = {
	    .flags = a.flags,
	    .exit_signal = (int)a.exit_signal,
	    .stack = a.stack ? a.stack + a.stack_size : 0,
	    .tls = a.tls,
	    .parent_tid = a.parent_tid,
	    .child_tid = a.child_tid,
	    .pidfd = a.pidfd,
	};
	return process_clone(&r);
}

long sys_fork(void)
{
	struct clone_request r = {.exit_signal = SIGCHLD};
	return process_clone(&r);
}

long sys_vfork(void)
{
	struct clone_request r = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD};
	return process_clone(&r);
}

long sys_exit(int status) { thread_exit(status); }
