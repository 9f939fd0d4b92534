/* Signal dispositions, masks and the alternate stack. They are recorded
 * and reported back; delivery arrives with the scheduler (faults still end
 * the app with the right signal). */
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

#define SIGKILL 9
#define SIGSTOP 19
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
