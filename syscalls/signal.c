/* Signal dispositions, masks and the alternate stack, and kill, tkill and
 * tgkill. Dispositions are recorded and reported back; delivery to handlers
 * arrives with the scheduler, so a sent signal takes its default action
 * (faults too end the app with the right signal). */
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "libc-glue/kformat.h"

#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGWINCH 28
#define SIGSYS 31
#define SIG_DFL 0
#define SIG_IGN 1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

long sys_rt_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *oldact, size_t sigsetsize)
{
	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (sig < 1 || sig > NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct k_sigaction *slot = &current_process()->sighand->action[sig - 1];
	struct k_sigaction wanted;
	if (act && copy_from_user(&wanted, act, sizeof wanted))
		return -EFAULT;
	if (oldact && copy_to_user(oldact, slot, sizeof *slot))
		return -EFAULT;
	if (act) {
		wanted.mask &= ~UNBLOCKABLE;
		*slot = wanted;
	}
	return 0;
}

static void take_unblocked_signals(struct thread *t);

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
		t->signal_mask |= wanted;
	else if (how == SIG_UNBLOCK)
		t->signal_mask &= ~wanted;
	else
		t->signal_mask = wanted;
	t->signal_mask &= ~UNBLOCKABLE;
	take_unblocked_signals(t);
	return 0;
}

struct user_stack {
	uint64_t sp;
	int flags;
	int pad;
	uint64_t size;
};

long sys_sigaltstack(const struct user_stack *ss, struct user_stack *old)
{
	struct thread *t = current_thread();
	struct user_stack cur = {t->altstack_sp, (int)(t->altstack_size ? t->altstack_flags : SS_DISABLE), 0,
				 t->altstack_size};
	struct user_stack wanted;
	if (ss && copy_from_user(&wanted, ss, sizeof wanted))
		return -EFAULT;
	if (old && copy_to_user(old, &cur, sizeof cur))
		return -EFAULT;
	if (!ss)
		return 0;
	if (wanted.flags & ~(SS_DISABLE | SS_ONSTACK | (int)(1u << 31)))
		return -EINVAL;
	if (wanted.flags & SS_DISABLE) {
		t->altstack_sp = t->altstack_size = 0;
		t->altstack_flags = SS_DISABLE;
		return 0;
	}
	if (wanted.size < MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack_sp = wanted.sp;
	t->altstack_size = wanted.size;
	t->altstack_flags = 0;
	return 0;
}

static uint64_t signal_bit(int sig) { return 1ull << (sig - 1); }

#define DEFAULT_IGNORED (signal_bit(SIGCHLD) | signal_bit(SIGURG) | signal_bit(SIGWINCH) | signal_bit(SIGCONT))
#define DEFAULT_STOPS (signal_bit(SIGSTOP) | signal_bit(SIGTSTP) | signal_bit(SIGTTIN) | signal_bit(SIGTTOU))
#define DEFAULT_CORE_DUMP                                                                                      \
	(signal_bit(SIGQUIT) | signal_bit(SIGILL) | signal_bit(SIGTRAP) | signal_bit(SIGABRT) | signal_bit(SIGBUS) | \
	 signal_bit(SIGFPE) | signal_bit(SIGSEGV) | signal_bit(SIGXCPU) | signal_bit(SIGXFSZ) | signal_bit(SIGSYS))

/* Takes sig's default action: delivery to handlers does not exist yet, so
 * a handled signal takes it too. how names the syscall that sent it. */
static long take_default_action(int sig, const char *how)
{
	struct process *p = current_process();
	uint64_t handler = p->sighand->action[sig - 1].handler;
	if (handler == SIG_IGN && sig != SIGKILL)
		return 0;
	if (signal_bit(sig) & (DEFAULT_IGNORED | DEFAULT_STOPS)) {
		if (signal_bit(sig) & DEFAULT_STOPS)
			kwarn("signal %d would stop the app; sole has no job control, so it is ignored", sig);
		return 0;
	}
	if (handler != SIG_DFL)
		kwarn("signal %d has a handler; delivery to handlers is not implemented yet, so it ends the app", sig);
	char detail[80];
	ksnprintf(detail, sizeof detail, "sent by the app itself with %s", how);
	struct thread *t = current_thread();
	const struct trap_frame *f = signal_bit(sig) & DEFAULT_CORE_DUMP ? syscall_frame(t->kernel_stack_top) : NULL;
	process_kill_by_signal(p, sig, f, "signal", detail, 0);
}

/* The app sent itself sig; a blocked one waits until it is unblocked. */
static long signal_self(int sig, const char *how)
{
	struct thread *t = current_thread();
	if (sig == 0)
		return 0; /* only checks that the target exists */
	if (sig != SIGKILL && (t->signal_mask & signal_bit(sig))) {
		t->signal_pending |= signal_bit(sig);
		return 0;
	}
	return take_default_action(sig, how);
}

/* Acts on the pending signals that the new mask lets through. */
static void take_unblocked_signals(struct thread *t)
{
	uint64_t ready;
	while ((ready = t->signal_pending & ~t->signal_mask)) {
		int sig = __builtin_ctzll(ready) + 1;
		t->signal_pending &= ~signal_bit(sig);
		take_default_action(sig, "kill, tkill or tgkill while blocked");
	}
}

long sys_kill(int pid, int sig)
{
	struct process *p = current_process();
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	/* pid 0 and -pgid name our process group; -1 names every other process */
	if (pid != p->pid && pid != 0 && pid != -p->pgid)
		return -ESRCH;
	return signal_self(sig, "kill");
}

long sys_tkill(int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	if (tid != current_thread()->tid)
		return -ESRCH;
	return signal_self(sig, "tkill");
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	if (tgid != current_process()->pid || tid != current_thread()->tid)
		return -ESRCH;
	return signal_self(sig, "tgkill");
}
