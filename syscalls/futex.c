/* futex and futex_waitv: decoding the operation, its words and its timeout,
 * then the futex queues (kernel/sched/futex.c) and the priority-inheritance
 * futexes (kernel/sched/futex_pi.c) do the work. */
#include <linux/futex.h>
#include <linux/time.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/sched/futex.h"
#include "kernel/sched/futex_pi.h"
#include "kernel/time.h"
#include "syscalls/timespec.h"

/* The deadline (monotonic ns) of a timeout argument, 0 for none. */
static int deadline_of(const struct __kernel_timespec *user, bool absolute, bool realtime, uint64_t *deadline)
{
	*deadline = 0;
	if (!user)
		return 0;
	uint64_t ns;
	int err = timespec_from_user(user, &ns);
	if (err)
		return err;
	uint64_t now = time_monotonic_ns();
	if (!absolute)
		*deadline = now + ns;
	else if (realtime)
		*deadline = deadline_at_realtime(ns);
	else
		*deadline = ns;
	if (!*deadline)
		*deadline = 1; /* already passed, but not "no deadline" */
	return 0;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct __kernel_timespec *timeout, uint32_t *uaddr2,
               uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	if ((uintptr_t)uaddr & 3)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI &&
	    cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	/* For the requeue and wake-op commands the timeout slot carries a count. */
	int count2 = (int)(uintptr_t)timeout;
	uint64_t deadline;
	long err;
	switch (cmd) {
	case FUTEX_WAIT:
		err = deadline_of(timeout, false, false, &deadline);
		return err ? err : futex_wait(uaddr, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		err = deadline_of(timeout, true, realtime, &deadline);
		return err ? err : futex_wait(uaddr, val, deadline, val3);
	case FUTEX_WAKE:
		return futex_wake((uintptr_t)uaddr, val > __INT_MAX__ ? __INT_MAX__ : (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return val3 ? futex_wake((uintptr_t)uaddr, val > __INT_MAX__ ? __INT_MAX__ : (int)val, val3) : -EINVAL;
	case FUTEX_CMP_REQUEUE: {
		uint32_t now_value;
		if (copy_from_user(&now_value, uaddr, sizeof now_value))
			return -EFAULT;
		if (now_value != val3)
			return -EAGAIN;
	}
		/* fall through */
	case FUTEX_REQUEUE: {
		if ((int)val < 0 || count2 < 0)
			return -EINVAL;
		int woken = futex_wake((uintptr_t)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
		if (woken < 0)
			return woken;
		int moved = futex_requeue((uintptr_t)uaddr, (uintptr_t)uaddr2, count2);
		return moved < 0 ? moved : woken + moved;
	}
	case FUTEX_WAKE_OP: {
		bool condition;
		err = futex_wake_op(uaddr2, val3, &condition);
		if (err)
			return err;
		int woken = futex_wake((uintptr_t)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
		if (woken < 0 || !condition)
			return woken;
		int woken2 = futex_wake((uintptr_t)uaddr2, count2, FUTEX_BITSET_MATCH_ANY);
		return woken2 < 0 ? woken2 : woken + woken2;
	}
	case FUTEX_LOCK_PI: /* its deadline is on CLOCK_REALTIME, as Linux */
	case FUTEX_LOCK_PI2:
		err = deadline_of(timeout, true, cmd == FUTEX_LOCK_PI || realtime, &deadline);
		return err ? err : futex_lock_pi(uaddr, deadline, false);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(uaddr, 0, true);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr);
	case FUTEX_WAIT_REQUEUE_PI:
		if ((uintptr_t)uaddr2 & 3)
			return -EINVAL;
		err = deadline_of(timeout, true, realtime, &deadline);
		return err ? err : futex_wait_requeue_pi(uaddr, val, deadline, uaddr2);
	case FUTEX_CMP_REQUEUE_PI:
		/* Only one waiter may be woken: it must own the lock. */
		if (val != 1 || count2 < 0 || (uintptr_t)uaddr2 & 3)
			return -EINVAL;
		return futex_cmp_requeue_pi(uaddr, val3, count2, uaddr2);
	default:
		return -ENOSYS;
	}
}

/* The words of a futex_waitv vector, checked as Linux's futex_parse_waitv
 * and get_futex_key do: each entry first, then every address's alignment. */
static int waitv_from_user(const struct futex_waitv *user, unsigned count, struct futex_word *words)
{
	for (unsigned i = 0; i < count; i++) {
		struct futex_waitv entry;
		if (copy_from_user(&entry, &user[i], sizeof entry))
			return -EFAULT;
		if ((entry.flags & ~(unsigned)(FUTEX_32 | FUTEX_PRIVATE_FLAG)) != 0 || !(entry.flags & FUTEX_32) ||
		    entry.__reserved || entry.val > UINT32_MAX)
			return -EINVAL;
		words[i] = (struct futex_word){(uint32_t *)(uintptr_t)entry.uaddr, (uint32_t)entry.val};
	}
	for (unsigned i = 0; i < count; i++)
		if ((uintptr_t)words[i].uaddr & 3)
			return -EINVAL;
	return 0;
}

long sys_futex_waitv(const struct futex_waitv *waiters, unsigned nr_futexes, unsigned flags,
                     const struct __kernel_timespec *timeout, int clockid)
{
	if (flags || !nr_futexes || nr_futexes > FUTEX_WAITV_MAX || !waiters)
		return -EINVAL;
	uint64_t deadline = 0;
	if (timeout) {
		if (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME)
			return -EINVAL;
		long err = deadline_of(timeout, true, clockid == CLOCK_REALTIME, &deadline);
		if (err)
			return err;
	}
	struct futex_word *words = kmalloc(sizeof *words * nr_futexes);
	if (!words)
		return -ENOMEM;
	long ret = waitv_from_user(waiters, nr_futexes, words);
	if (!ret)
		ret = futex_wait_multiple(words, (int)nr_futexes, deadline);
	kfree(words);
	return ret;
}
