/* New threads and new processes, see clone.h. A new process gets a
 * copy-on-write copy of the address space (or shares it with CLONE_VM), a
 * copy of the descriptor table whose open files it shares, as on Linux (or
 * the table itself with CLONE_FILES), and likewise the signal handlers and
 * the file-system context. Only the calling thread is copied. */
#include "kernel/proc/clone.h"

#include <linux/sched.h>
#include <string.h>

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/pidfd.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "kernel/security/seccomp.h"
#include "kernel/time.h"

/* What a thread shares with the rest of its process, all of it required. */
#define THREAD_SHARING (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define NAMESPACES                                                                                                     \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#endif

static struct trap_frame *user_frame_of(struct thread *t)
{
	return (struct trap_frame *)(t->kernel_stack_top - sizeof(struct trap_frame));
}

/* Linux's checks of copy_process, in its order. */
static long check_flags(uint64_t flags, const struct process *caller)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_CLEAR_SIGHAND) && (flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && caller->pid == 1)
		return -EINVAL;
	if ((flags & CLONE_PIDFD) && (flags & (CLONE_THREAD | CLONE_DETACHED)))
		return -EINVAL;
	if (flags & NAMESPACES)
		return -EPERM; /* as in a container that may not make namespaces */
	return 0;
}

/* The child's registers: the caller's at its syscall, returning 0, on the
 * new stack when one is given. */
static void start_registers(struct thread *t, struct thread *caller, const struct clone_request *r)
{
	struct trap_frame *frame = user_frame_of(t);
	*frame = *user_frame_of(caller);
	frame->rax = 0;
	if (r->stack)
		frame->rsp = r->stack;
	t->fs_base = (r->flags & CLONE_SETTLS) ? r->tls : caller->fs_base;
	t->signal_mask = caller->signal_mask;
	memcpy(t->comm, caller->comm, sizeof t->comm);
	t->timer_slack_ns = t->default_timer_slack_ns = caller->timer_slack_ns;
	sched_policy_inherit(&t->sched, &caller->sched);
	t->cpu_mask = caller->cpu_mask;
	seccomp_inherit(t, caller);
	if (r->flags & CLONE_CHILD_SETTID)
		t->set_child_tid = r->child_tid;
	if (r->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = r->child_tid;
}

static long new_thread(const struct clone_request *r)
{
	if ((r->flags & THREAD_SHARING) != THREAD_SHARING)
		return -EINVAL; /* a thread that shares only part of its process */
	struct thread *caller = current_thread();
	struct thread *t = thread_create(caller->proc);
	if (!t)
		return -ENOMEM;
	start_registers(t, caller, r);
	int tid = t->tid;
	if ((r->flags & CLONE_PARENT_SETTID) && copy_to_user((void *)r->parent_tid, &tid, sizeof tid)) {
		thread_free(t);
		return -EFAULT;
	}
	thread_start(t, user_frame_of(t));
	return tid;
}

/* RLIMIT_NPROC counts the processes of the caller's real user; root's
 * processes and CAP_SYS_RESOURCE or CAP_SYS_ADMIN are not held to it, as
 * on Linux. */
static bool over_process_limit(const struct process *caller)
{
	if (caller->cred.ruid == 0 || capable(CAP_SYS_RESOURCE) || capable(CAP_SYS_ADMIN))
		return false;
	uint64_t owned = 0;
	for (struct process *p = process_first(); p; p = process_next(p))
		owned += p->cred.ruid == caller->cred.ruid && p->state == PROCESS_ALIVE;
	return owned >= caller->rlimits[RLIMIT_NPROC].rlim_cur;
}

/* The parts a new process shares or copies. */
static long take_parts(struct process *p, const struct process *caller, uint64_t flags)
{
	if (flags & CLONE_VM)
		p->as = addrspace_get(caller->as);
	else
		p->as = addrspace_fork(caller->as);
	if (flags & CLONE_FILES) {
		p->files = caller->files;
		p->files->refs++;
	} else {
		p->files = fd_table_dup(caller->files);
	}
	if (flags & CLONE_FS) {
		p->fs = caller->fs;
		p->fs->refs++;
	} else {
		p->fs = fs_context_copy(caller->fs);
	}
	if (flags & CLONE_SIGHAND) {
		p->sighand = caller->sighand;
		p->sighand->refs++;
	} else {
		p->sighand = signal_handlers_copy(caller->sighand);
	}
	if (!p->as || !p->files || !p->fs || !p->sighand)
		return -ENOMEM;
	if (flags & CLONE_CLEAR_SIGHAND)
		for (int sig = 1; sig <= NSIG; sig++)
			if (p->sighand->action[sig - 1].handler != SIG_IGN)
				p->sighand->action[sig - 1] = (struct k_sigaction){0};
	return 0;
}

static void drop_parts(struct process *p)
{
	if (p->as)
		addrspace_put(p->as);
	if (p->files)
		fd_table_put(p->files);
	fs_context_put(p->fs);
	signal_handlers_put(p->sighand);
	kfree(p);
}

/* What the child inherits besides the shared parts: identity, limits,
 * the program's description; its pending signals and timers start empty. */
static void inherit(struct process *p, const struct process *caller)
{
	p->pgid = caller->pgid;
	p->sid = caller->sid;
	p->cred = caller->cred;
	memcpy(p->rlimits, caller->rlimits, sizeof p->rlimits);
	p->exe_path = caller->exe_path;
	p->arg_start = caller->arg_start;
	p->arg_end = caller->arg_end;
	p->env_start = caller->env_start;
	p->env_end = caller->env_end;
	memcpy(p->auxv, caller->auxv, sizeof p->auxv);
	p->auxv_words = caller->auxv_words;
	p->no_new_privs = caller->no_new_privs;
	p->dumpable = caller->dumpable;
	p->personality = caller->personality;
	p->session_keyring = caller->session_keyring;
	p->reqkey_default = caller->reqkey_default;
	p->start_ns = time_monotonic_ns();
}

/* vfork: the caller sleeps until the child execs or ends (which clears
 * vfork_waiting and wakes it). Signals wait until it is back. The child
 * is found again by pid: it may be gone by then. */
static void wait_for_vfork_child(int pid)
{
	struct thread *self = current_thread();
	while (self->vfork_waiting && !self->killed)
		sched_block(0);
	if (self->vfork_waiting) { /* killed meanwhile: the child must not wake a freed thread */
		struct process *child = process_by_pid(pid);
		if (child && child->vfork_parent == self)
			child->vfork_parent = NULL;
		self->vfork_waiting = false;
	}
}

/* CLONE_PIDFD: a pidfd for the child, close-on-exec, its number written
 * where the caller asked. */
static long give_pidfd(struct process *child, struct process *caller, uint64_t user_at)
{
	int fd = fd_install_new(caller->files, pidfd_create(child, 0), true);
	if (fd < 0)
		return fd;
	if (copy_to_user((void *)user_at, &fd, sizeof fd)) {
		fd_close(caller->files, fd);
		return -EFAULT;
	}
	return 0;
}

/* fork fails with ENOMEM while fewer pages than this are free: what is left
 * serves the copy-on-write faults of the processes already there, so that
 * a fork bomb ends with fork failing rather than pid 1 dying of a fault. */
static size_t fork_reserve_pages(void)
{
	size_t sixteenth = page_total_count() / 16;
	return sixteenth > 128 ? sixteenth : 128;
}

static long new_process(const struct clone_request *r)
{
	struct thread *caller = current_thread();
	struct process *cp = caller->proc;
	if (over_process_limit(cp))
		return -EAGAIN;
	if (page_free_count() < fork_reserve_pages())
		return -ENOMEM;
	struct process *p = kzalloc(sizeof *p);
	if (!p)
		return -ENOMEM;
	struct thread *t = take_parts(p, cp, r->flags) ? NULL : thread_create(p);
	if (!t) {
		drop_parts(p);
		return -ENOMEM;
	}
	p->pid = t->tid;
	p->exit_signal = r->exit_signal;
	inherit(p, cp);
	long err = (r->flags & CLONE_PIDFD) ? give_pidfd(p, cp, r->pidfd) : 0;
	if (err) {
		thread_free(t);
		drop_parts(p);
		return err;
	}
	start_registers(t, caller, r);
	if (!(r->flags & CLONE_VM) || (r->flags & CLONE_VFORK)) {
		t->altstack_sp = caller->altstack_sp;
		t->altstack_size = caller->altstack_size;
		t->altstack_flags = caller->altstack_flags;
	}
	if (!(r->flags & CLONE_VM)) {
		t->rseq_area = caller->rseq_area; /* the same memory layout: the registration holds */
		t->rseq_len = caller->rseq_len;
		t->rseq_sig = caller->rseq_sig;
	}
	process_add_child((r->flags & CLONE_PARENT) ? cp->parent : cp, p);
	pid_add_process(p);
	int pid = p->pid;
	if (r->flags & CLONE_PARENT_SETTID)
		copy_to_user((void *)r->parent_tid, &pid, sizeof pid); /* a bad pointer is ignored, as on Linux */
	if (r->flags & CLONE_VFORK) {
		p->vfork_parent = caller;
		caller->vfork_waiting = true;
	}
	thread_start(t, user_frame_of(t));
	if (r->flags & CLONE_VFORK)
		wait_for_vfork_child(pid);
	return pid;
}

long process_clone(const struct clone_request *r)
{
	struct process *caller = current_process();
	long err = check_flags(r->flags, caller);
	if (err)
		return err;
	if ((r->flags & CLONE_SETTLS) && r->tls >= USER_TOP)
		return -EPERM;
	if (!sched_policy_may_fork(&current_thread()->sched))
		return -EAGAIN;
	return (r->flags & CLONE_THREAD) ? new_thread(r) : new_process(r);
}
