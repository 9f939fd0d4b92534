/* futex: threads wait on a word of the app's memory until another thread
 * wakes them. Waiters hang in hashed wait queues keyed by the word's
 * address (one address space, so private and shared futexes agree). Also
 * the futex side of thread exit: the clear-child-tid wake and robust lists. */
#include "syscalls/futex.h"

#include <linux/futex.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/sched/wait.h"
#include "kernel/time.h"

#define BUCKETS 64
#define ROBUST_LIST_LIMIT 2048

static struct wait_queue buckets[BUCKETS];

static struct wait_queue *bucket_of(uintptr_t key) { return &buckets[(key >> 2) % BUCKETS]; }

/* Wakes up to count waiters on key whose bitset meets bits. */
static int wake_key(uintptr_t key, int count, uint32_t bits)
{
	struct wait_queue *q = bucket_of(key);
	int woken = 0;
	for (struct waiter *w = q->head, *next; w && woken < count; w = next) {
		next = w->next;
		if (w->key == key && (w->bitset & bits)) {
			wait_remove(w);
			sched_wake(w->thread, WAKE_EVENT);
			woken++;
		}
	}
	return woken;
}

/* Moves up to count waiters on from to the queue of to. */
static int requeue_key(uintptr_t from, uintptr_t to, int count)
{
	struct wait_queue *q = bucket_of(from);
	int moved = 0;
	for (struct waiter *w = q->head, *next; w && moved < count; w = next) {
		next = w->next;
		if (w->key != from)
			continue;
		wait_remove(w);
		w->key = to;
		wait_add(bucket_of(to), w, w->thread);
		moved++;
	}
	return moved;
}

int futex_wake_address(uintptr_t uaddr, int count) { return wake_key(uaddr, count, FUTEX_BITSET_MATCH_ANY); }

/* The deadline (monotonic ns) of a timeout argument, 0 for none. */
static int deadline_of(const struct __kernel_timespec *user, bool absolute, bool realtime, uint64_t *deadline)
{
	*deadline = 0;
	if (!user)
		return 0;
	struct __kernel_timespec t;
	if (copy_from_user(&t, user, sizeof t))
		return -EFAULT;
	if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
	uint64_t now = time_monotonic_ns();
	if (!absolute)
		*deadline = now + ns;
	else if (realtime)
		*deadline = now + (ns > time_realtime_ns() ? ns - time_realtime_ns() : 0);
	else
		*deadline = ns;
	if (!*deadline)
		*deadline = 1; /* already passed, but not "no deadline" */
	return 0;
}

static long resume_wait(struct restart_block *r);

static long wait(uint32_t *uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	uint32_t now_value;
	if (copy_from_user(&now_value, uaddr, sizeof now_value))
		return -EFAULT;
	if (now_value != val)
		return -EAGAIN;
	struct waiter w = {.bitset = bitset, .key = (uintptr_t)uaddr};
	wait_add(bucket_of(w.key), &w, current_thread());
	enum wake_reason why = sched_block(deadline);
	wait_remove(&w);
	switch (why) {
	case WAKE_EVENT:
		return 0;
	case WAKE_TIMEOUT:
		return -ETIMEDOUT;
	default:
		/* As Linux: an untimed wait reruns under SA_RESTART; a timed one
		 * fails with EINTR after a handler, else resumes to its deadline. */
		if (!deadline)
			return -ERESTARTSYS;
		return signal_restart_block(resume_wait, (uint64_t)uaddr, val, deadline, bitset);
	}
}

static long resume_wait(struct restart_block *r)
{
	return wait((uint32_t *)r->arg[0], (uint32_t)r->arg[1], r->arg[2], (uint32_t)r->arg[3]);
}

static int wake_op(uint32_t *uaddr2, unsigned encoded, bool *condition)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)((encoded >> 12) & 0xfff), cmparg = (int)(encoded & 0xfff);
	if ((encoded >> 28) & FUTEX_OP_OPARG_SHIFT)
		oparg = 1 << (oparg & 31);
	int old;
	if (copy_from_user(&old, uaddr2, sizeof old))
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
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: *condition = old == cmparg; break;
	case FUTEX_OP_CMP_NE: *condition = old != cmparg; break;
	case FUTEX_OP_CMP_LT: *condition = old < cmparg; break;
	case FUTEX_OP_CMP_LE: *condition = old <= cmparg; break;
	case FUTEX_OP_CMP_GT: *condition = old > cmparg; break;
	case FUTEX_OP_CMP_GE: *condition = old >= cmparg; break;
	default: return -ENOSYS;
	}
	return copy_to_user(uaddr2, &new, sizeof new) ? -EFAULT : 0;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct __kernel_timespec *timeout, uint32_t *uaddr2,
	       uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	if ((uintptr_t)uaddr & 3)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	/* For the requeue and wake-op commands the timeout slot carries a count. */
	int count2 = (int)(uintptr_t)timeout;
	uint64_t deadline;
	long err;
	switch (cmd) {
	case FUTEX_WAIT:
		err = deadline_of(timeout, false, false, &deadline);
		return err ? err : wait(uaddr, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		err = deadline_of(timeout, true, realtime, &deadline);
		return err ? err : wait(uaddr, val, deadline, val3);
	case FUTEX_WAKE:
		return wake_key((uintptr_t)uaddr, val > __INT_MAX__ ? __INT_MAX__ : (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return val3 ? wake_key((uintptr_t)uaddr, val > __INT_MAX__ ? __INT_MAX__ : (int)val, val3) : -EINVAL;
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
		int woken = wake_key((uintptr_t)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
		return woken + requeue_key((uintptr_t)uaddr, (uintptr_t)uaddr2, count2);
	}
	case FUTEX_WAKE_OP: {
		bool condition;
		err = wake_op(uaddr2, val3, &condition);
		if (err)
			return err;
		int woken = wake_key((uintptr_t)uaddr, (int)val, FUTEX_BITSET_MATCH_ANY);
		if (condition)
			woken += wake_key((uintptr_t)uaddr2, count2, FUTEX_BITSET_MATCH_ANY);
		return woken;
	}
	default:
		return -ENOSYS; /* PI futexes */
	}
}

/* One robust-list entry of a dying thread: mark the lock's owner dead and
 * wake a waiter, as Linux's handle_futex_death does. */
static void release_robust_lock(uint32_t *word, int tid)
{
	uint32_t value;
	if ((uintptr_t)word & 3 || copy_from_user(&value, word, sizeof value))
		return;
	if ((value & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	uint32_t died = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user(word, &died, sizeof died))
		return;
	if (value & FUTEX_WAITERS)
		wake_key((uintptr_t)word, 1, FUTEX_BITSET_MATCH_ANY);
}

void futex_exit_robust_list(struct thread *t)
{
	struct robust_list_head head;
	if (!t->robust_list || copy_from_user(&head, (void *)t->robust_list, sizeof head))
		return;
	uintptr_t entry = (uintptr_t)head.list.next;
	for (int n = 0; entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
		struct robust_list next;
		if (copy_from_user(&next, (void *)(entry & ~1ul), sizeof next))
			return;
		if ((entry & ~1ul) != (uintptr_t)head.list_op_pending)
			release_robust_lock((uint32_t *)((entry & ~1ul) + head.futex_offset), t->tid);
		entry = (uintptr_t)next.next;
	}
	if (head.list_op_pending)
		release_robust_lock((uint32_t *)((uintptr_t)head.list_op_pending + head.futex_offset), t->tid);
}
