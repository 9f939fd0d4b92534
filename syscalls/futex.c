/* futex for a process with one thread: value checks, timeouts and
 * FUTEX_WAKE_OP's atomic update are real; there is never a waiter to wake,
 * and a wait without a timeout could never end, so it stops the app with a
 * clear message instead of hanging. Threads replace this with wait queues. */
#include <linux/futex.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"

#define SIGKILL 9

static int wake_op_apply(unsigned encoded, uint32_t *user_word)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)((encoded >> 12) & 0xfff), cmparg = (int)(encoded & 0xfff);
	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = 1 << (oparg & 31);
	int old;
	if (copy_from_user(&old, user_word, sizeof old))
		return -EFAULT;
	int new;
	switch (op) {
	case FUTEX_OP_SET: new = oparg; break;
	case FUTEX_OP_ADD: new = old + oparg; break;
	case FUTEX_OP_OR: new = old | oparg; break;
	case FUTEX_OP_ANDN: new = old & ~oparg; break;
	case FUTEX_OP_XOR: new = old ^ oparg; break;
	default: return -ENOSYS;
	}
	if (copy_to_user(user_word, &new, sizeof new))
		return -EFAULT;
	(void)cmp, (void)cmparg; /* the comparison only picks whom to wake: nobody waits */
	return cmp <= FUTEX_OP_CMP_GE ? 0 : -ENOSYS;
}

static long wait(uint32_t *uaddr, uint32_t val, const struct __kernel_timespec *user_timeout, bool absolute,
		 bool realtime)
{
	uint32_t now_value;
	if (copy_from_user(&now_value, uaddr, sizeof now_value))
		return -EFAULT;
	if (now_value != val)
		return -EAGAIN;
	if (!user_timeout) {
		kwarn("deadlock: the app's only thread waits on a futex that nothing can wake");
		process_kill_by_signal(current_process(), SIGKILL, NULL, "deadlock", "", 0);
	}
	struct __kernel_timespec t;
	if (copy_from_user(&t, user_timeout, sizeof t))
		return -EFAULT;
	if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
	if (absolute) {
		uint64_t now = realtime ? time_realtime_ns() : time_monotonic_ns();
		ns = ns > now ? ns - now : 0;
	}
	time_sleep_ns(ns);
	return -ETIMEDOUT;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct __kernel_timespec *timeout, uint32_t *uaddr2,
	       uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	if (((uintptr_t)uaddr & 3))
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
		return wait(uaddr, val, timeout, false, realtime);
	case FUTEX_WAIT_BITSET:
		return val3 ? wait(uaddr, val, timeout, true, realtime) : -EINVAL;
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return 0; /* no other thread waits */
	case FUTEX_REQUEUE:
		return 0;
	case FUTEX_CMP_REQUEUE: {
		uint32_t now_value;
		if (copy_from_user(&now_value, uaddr, sizeof now_value))
			return -EFAULT;
		return now_value == val3 ? 0 : -EAGAIN;
	}
	case FUTEX_WAKE_OP:
		return wake_op_apply(val3, uaddr2);
	default:
		return -ENOSYS;
	}
}
