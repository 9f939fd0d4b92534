/* Threads: clone and clone3 with the flags pthread_create uses, and the
 * end of a thread (exit). A new process (fork, vfork, clone without
 * CLONE_VM) is not supported yet: those get ENOSYS, never half a process. */
#include <linux/futex.h>
#include <linux/sched.h>
#include <string.h>

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/sched/futex.h"
#include "kernel/sched/sched.h"

/* What a thread shares with the rest of its process, all of it required. */
#define THREAD_SHARING (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define THREAD_OPTIONS                                                                                                 \
	(CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |              \
	 CLONE_DETACHED)

static struct trap_frame *user_frame_of(struct thread *t)
{
	return (struct trap_frame *)(t->kernel_stack_top - sizeof(struct trap_frame));
}

static long new_process_unsupported(void)
{
	static bool warned;
	if (!warned)
		kwarn("the app tried to start a new process (fork, vfork or clone without CLONE_VM); sole runs one "
		      "process: it got ENOSYS");
	warned = true;
	return -ENOSYS;
}

static long create_thread(const struct clone_args *a)
{
	uint64_t flags = a->flags;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK))
		return new_process_unsupported();
	if ((flags & THREAD_SHARING) != THREAD_SHARING || (flags & ~(uint64_t)(THREAD_SHARING | THREAD_OPTIONS)))
		return -EINVAL; /* a thread that shares only part of its process */
	if ((flags & CLONE_SETTLS) && a->tls >= USER_TOP)
		return -EPERM;

	struct thread *parent = current_thread();
	struct thread *t = thread_create(parent->proc);
	if (!t)
		return -ENOMEM;
	struct trap_frame *frame = user_frame_of(t);
	*frame = *user_frame_of(parent);
	frame->rax = 0; /* clone returns 0 in the child */
	if (a->stack)
		frame->rsp = a->stack + a->stack_size;
	t->fs_base = (flags & CLONE_SETTLS) ? a->tls : parent->fs_base;
	t->signal_mask = parent->signal_mask;
	int tid = t->tid;
	if (((flags & CLONE_PARENT_SETTID) && copy_to_user((void *)a->parent_tid, &tid, sizeof tid)) ||
	    ((flags & CLONE_CHILD_SETTID) && copy_to_user((void *)a->child_tid, &tid, sizeof tid))) {
		thread_free(t);
		return -EFAULT;
	}
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = a->child_tid;
	sched_start_thread(t, frame);
	return tid;
}

long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid, int *child_tid, unsigned long tls)
{
	struct clone_args a = {
	    .flags = flags & ~0xfful, /* the low byte is the exit signal */
	    .parent_tid = (uint64_t)parent_tid,
	    .child_tid = (uint64_t)child_tid,
	    .stack = newsp,
	    .tls = tls,
	};
	return create_thread(&a);
}

long sys_clone3(const struct clone_args *user_args, size_t size)
{
	struct clone_args a;
	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	memset(&a, 0, sizeof a);
	if (copy_from_user(&a, user_args, size < sizeof a ? size : sizeof a))
		return -EFAULT;
	/* Fields of a newer kernel's struct must be zero. */
	for (size_t off = sizeof a; off < size; off++) {
		uint8_t byte;
		if (copy_from_user(&byte, (const uint8_t *)user_args + off, 1))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	if (a.set_tid || a.set_tid_size || a.cgroup || (a.flags & (CLONE_PIDFD | CLONE_INTO_CGROUP)))
		return -EINVAL;
	if ((a.flags & CLONE_THREAD) && a.exit_signal)
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	return create_thread(&a);
}

/* The end of one thread: its clear-child-tid word is zeroed and its joiner
 * woken, its robust futexes released. The last thread ends the process. */
long sys_exit(int status)
{
	struct thread *t = current_thread();
	if (sched_live_threads() == 1)
		process_exit(t->proc, status);
	futex_exit_robust_list(t);
	if (t->clear_child_tid) {
		int zero = 0;
		if (!copy_to_user((void *)t->clear_child_tid, &zero, sizeof zero))
			futex_wake(t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
	}
	sched_exit_current();
}
