/* The signal syscalls: dispositions, masks, the alternate stack, sending
 * (kill, tkill, tgkill, sigqueue), waiting (pause, sigsuspend,
 * sigtimedwait) and the way back from a handler (rt_sigreturn). Queues and
 * delivery live in kernel/proc/signal.c. */
#include <linux/time_types.h>

#include "kernel/arch/x86_64/sigframe.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define NSEC_PER_SEC 1000000000ull

static bool valid_signal(int sig) { return sig >= 1 && sig <= NSIG; }

static struct trap_frame *user_registers(void) { return syscall_frame(current_thread()->kernel_stack_top); }

long sys_rt_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *oldact, size_t sigsetsize)
{
	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (!valid_signal(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct process *p = current_process();
	struct k_sigaction *slot = &p->sighand->action[sig - 1];
	struct k_sigaction wanted;
	if (act && copy_from_user(&wanted, act, sizeof wanted))
		return -EFAULT;
	if (oldact && copy_to_user(oldact, slot, sizeof *slot))
		return -EFAULT;
	if (act) {
		wanted.mask &= ~SIGNALS_UNBLOCKABLE;
		*slot = wanted;
		signal_action_changed(p, sig);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *oldset, size_t sigsetsize)
{
	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	struct thread *t = current_thread();
	uint64_t wanted = 0;
	if (set && copy_from_user(&wanted, set, sizeof wanted))
		return -EFAULT;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (oldset && copy_to_user(oldset, &t->signal_mask, sizeof t->signal_mask))
		return -EFAULT;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		signal_set_mask(t->signal_mask | wanted);
	else if (how == SIG_UNBLOCK)
		signal_set_mask(t->signal_mask & ~wanted);
	else
		signal_set_mask(wanted);
	return 0; /* what the new mask lets through runs on the way back */
}

long sys_rt_sigpending(uint64_t *set, size_t sigsetsize)
{
	if (sigsetsize > sizeof(uint64_t))
		return -EINVAL;
	struct thread *t = current_thread();
	uint64_t pending = (t->signals.pending.set | t->proc->shared_pending.set) & t->signal_mask;
	return copy_to_user(set, &pending, sigsetsize) ? -EFAULT : 0;
}

/* Sleeps until a signal that will be acted on arrives. */
static long wait_for_signal(void)
{
	struct thread *t = current_thread();
	while (!signal_pending(t))
		sched_block(0);
	return -ERESTARTNOHAND;
}

long sys_pause(void) { return wait_for_signal(); }

long sys_rt_sigsuspend(const uint64_t *mask, size_t sigsetsize)
{
	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	uint64_t wanted;
	if (copy_from_user(&wanted, mask, sizeof wanted))
		return -EFAULT;
	signal_set_temporary_mask(wanted);
	return wait_for_signal();
}

long sys_rt_sigtimedwait(const uint64_t *set, struct signal_info *info, const struct __kernel_timespec *timeout,
                         size_t sigsetsize)
{
	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	uint64_t wanted;
	if (copy_from_user(&wanted, set, sizeof wanted))
		return -EFAULT;
	wanted &= ~SIGNALS_UNBLOCKABLE;
	uint64_t deadline = 0;
	bool poll_only = false;
	if (timeout) {
		struct __kernel_timespec ts;
		if (copy_from_user(&ts, timeout, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
			return -EINVAL;
		uint64_t ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
		poll_only = ns == 0;
		deadline = time_monotonic_ns() + ns;
	}
	struct thread *t = current_thread();
	struct signal_info got;
	int sig = signal_dequeue(t, wanted, &got);
	bool timed_out = poll_only;
	if (!sig && !poll_only) {
		t->signals.waiting_for = wanted; /* these wake it even while blocked */
		while (!signal_pending(t) && !timed_out)
			timed_out = sched_block(deadline) == WAKE_TIMEOUT;
		t->signals.waiting_for = 0;
		sig = signal_dequeue(t, wanted, &got);
	}
	if (!sig)
		return timed_out ? -EAGAIN : -EINTR;
	if (info && copy_to_user(info, &got, sizeof got))
		return -EFAULT;
	return sig;
}

long sys_rt_sigreturn(void)
{
	struct thread *t = current_thread();
	struct trap_frame *f = user_registers();
	uint64_t mask;
	struct signal_stack stack;
	if (sigframe_pop(f, &mask, &stack))
		process_kill_by_signal(t->proc, SIGSEGV, f, "sigreturn",
		                       "rt_sigreturn found no usable signal frame on the stack", f->rsp);
	signal_set_mask(mask);
	signal_altstack_change(t, &stack, NULL, f->rsp); /* errors ignored, as on Linux */
	return (long)f->rax;
}

long sys_restart_syscall(void)
{
	struct restart_block *r = &current_thread()->signals.restart;
	long (*resume)(struct restart_block *) = r->fn;
	r->fn = NULL;
	return resume ? resume(r) : -EINTR;
}

long sys_sigaltstack(const struct signal_stack *ss, struct signal_stack *old)
{
	struct signal_stack wanted, previous;
	if (ss && copy_from_user(&wanted, ss, sizeof wanted))
		return -EFAULT;
	int err = signal_altstack_change(current_thread(), ss ? &wanted : NULL, &previous, user_registers()->rsp);
	if (err)
		return err;
	return old && copy_to_user(old, &previous, sizeof previous) ? -EFAULT : 0;
}

static struct signal_info sent_by_app(int sig, int code)
{
	return (struct signal_info){.signo = sig, .code = code, .sender = {.pid = current_process()->pid}};
}

long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct signal_info info = sent_by_app(sig, SI_USER);
	if (pid > 0) {
		struct process *target = process_by_pid(pid);
		return target ? kill_process(target, &info) : -ESRCH;
	}
	if (pid == 0)
		return kill_group(current_process()->pgid, &info);
	if (pid == -1)
		return kill_everyone(&info);
	if (pid == -0x7fffffff - 1)
		return -ESRCH; /* INT_MIN names no group, as on Linux */
	return kill_group(-pid, &info);
}

static long send_to_thread(int tgid, int tid, int sig, const struct signal_info *info)
{
	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	struct thread *t = thread_by_tid(tid);
	if (!t || t->state == THREAD_DEAD || (tgid >= 0 && tgid != t->proc->pid))
		return -ESRCH;
	if (!kill_permitted(t->proc, sig))
		return -EPERM;
	return sig && t->proc->state == PROCESS_ALIVE ? signal_send_thread(t, info) : 0;
}

long sys_tkill(int tid, int sig)
{
	struct signal_info info = sent_by_app(sig, SI_TKILL);
	return send_to_thread(-1, tid, sig, &info);
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	struct signal_info info = sent_by_app(sig, SI_TKILL);
	return send_to_thread(tgid, tid, sig, &info);
}

/* sigqueue's siginfo comes from the app; to itself it may claim any code. */
static long queued_info(int sig, const struct signal_info *user, struct signal_info *info)
{
	if (copy_from_user(info, user, sizeof *info))
		return -EFAULT;
	info->signo = sig;
	return 0;
}

long sys_rt_sigqueueinfo(int tgid, int sig, const struct signal_info *uinfo)
{
	struct signal_info info;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (queued_info(sig, uinfo, &info))
		return -EFAULT;
	struct process *target = process_by_pid(tgid);
	struct thread *named_thread = target ? NULL : thread_by_tid(tgid);
	if (named_thread)
		target = named_thread->proc; /* as on Linux, a thread's id names its whole process */
	if (!target)
		return -ESRCH;
	/* Only the kernel may claim SI_USER or a positive code to another process. */
	if (target != current_process() && (info.code >= 0 || info.code == SI_TKILL))
		return -EPERM;
	return kill_process(target, &info);
}

long sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, const struct signal_info *uinfo)
{
	struct signal_info info;
	if (tgid <= 0)
		return -EINVAL;
	if (queued_info(sig, uinfo, &info))
		return -EFAULT;
	return send_to_thread(tgid, tid, sig, &info);
}
