/* Futex queues: threads wait on a word of the app's memory until another
 * thread wakes them. Waiters hang in hashed wait queues keyed by which word
 * it is: in private memory its address space and address, so processes
 * never wake each other's threads by chance; in MAP_SHARED memory its file
 * and offset, so every process that maps it agrees. Also the futex side of
 * thread exit: the clear-child-tid wake and robust lists. */
#include "kernel/sched/futex.h"

#include <linux/futex.h>

#include "kernel/errno.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/sched/futex_key.h"
#include "kernel/sched/wait.h"

#define ROBUST_LIST_LIMIT 2048

static struct wait_queue buckets[FUTEX_BUCKETS];

struct futex_key futex_key_of(uintptr_t uaddr)
{
	struct addrspace *as = current_process()->as;
	const struct vma *v = vma_find(&as->vmas, uaddr);
	if (v && (v->flags & VMA_SHARED) && v->file)
		return (struct futex_key){v->file, v->file_offset + (uaddr - v->start)};
	return (struct futex_key){as, uaddr};
}

unsigned futex_key_hash(struct futex_key k)
{
	return (unsigned)((((uintptr_t)k.space >> 4) ^ (k.offset >> 2)) % FUTEX_BUCKETS);
}

struct wait_queue *futex_queue_of(struct futex_key k) { return &buckets[futex_key_hash(k)]; }

bool futex_waits_on(const struct waiter *w, struct futex_key k)
{
	return w->key == k.offset && w->key_space == k.space;
}

int futex_wake(uintptr_t uaddr, int count, uint32_t bits)
{
	struct futex_key k = futex_key_of(uaddr);
	struct wait_queue *q = futex_queue_of(k);
	int woken = 0;
	for (struct waiter *w = q->head, *next; w && woken < count; w = next) {
		next = w->next;
		if (futex_waits_on(w, k) && (w->bitset & bits)) {
			if (w->requeue_pi)
				return -EINVAL; /* as Linux: it leaves only by FUTEX_CMP_REQUEUE_PI */
			wait_remove(w);
			sched_wake(w->thread, WAKE_EVENT);
			woken++;
		}
	}
	return woken;
}

int futex_requeue(uintptr_t from_addr, uintptr_t to_addr, int count)
{
	struct futex_key from = futex_key_of(from_addr), to = futex_key_of(to_addr);
	struct wait_queue *q = futex_queue_of(from);
	int moved = 0;
	for (struct waiter *w = q->head, *next; w && moved < count; w = next) {
		next = w->next;
		if (!futex_waits_on(w, from))
			continue;
		if (w->requeue_pi)
			return -EINVAL;
		wait_remove(w);
		w->key = to.offset;
		w->key_space = to.space;
		wait_add(futex_queue_of(to), w, w->thread);
		moved++;
	}
	return moved;
}

static long resume_wait(struct restart_block *r);

long futex_wait(uint32_t *uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	uint32_t now_value;
	if (copy_from_user(&now_value, uaddr, sizeof now_value))
		return -EFAULT;
	if (now_value != val)
		return -EAGAIN;
	struct futex_key k = futex_key_of((uintptr_t)uaddr);
	struct waiter w = {.bitset = bitset, .key = k.offset, .key_space = k.space};
	wait_add(futex_queue_of(k), &w, current_thread());
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
	return futex_wait((uint32_t *)r->arg[0], (uint32_t)r->arg[1], r->arg[2], (uint32_t)r->arg[3]);
}

/* Whether every word holds its value: 0, -EFAULT or -EAGAIN for the first
 * that cannot be read or differs, as Linux checks them in order. */
static long words_hold(const struct futex_word *words, int count)
{
	for (int i = 0; i < count; i++) {
		uint32_t now_value;
		if (copy_from_user(&now_value, words[i].uaddr, sizeof now_value))
			return -EFAULT;
		if (now_value != words[i].val)
			return -EAGAIN;
	}
	return 0;
}

long futex_wait_multiple(const struct futex_word *words, int count, uint64_t deadline)
{
	struct waiter *w = kmalloc(sizeof *w * (size_t)count);
	if (!w)
		return -ENOMEM;
	long ret;
	for (;;) {
		ret = words_hold(words, count);
		if (ret)
			break;
		for (int i = 0; i < count; i++) {
			struct futex_key k = futex_key_of((uintptr_t)words[i].uaddr);
			w[i] = (struct waiter){.bitset = FUTEX_BITSET_MATCH_ANY, .key = k.offset, .key_space = k.space};
			wait_add(futex_queue_of(k), &w[i], current_thread());
		}
		enum wake_reason why = sched_block(deadline);
		/* A wake takes its waiter off the queue; Linux answers with the
		 * last such index, even when the deadline or a signal came too. */
		ret = -1;
		for (int i = 0; i < count; i++) {
			if (!w[i].queue)
				ret = i;
			wait_remove(&w[i]);
		}
		if (ret >= 0)
			break;
		if (why == WAKE_TIMEOUT) {
			ret = -ETIMEDOUT;
			break;
		}
		if (why == WAKE_SIGNAL) {
			ret = -ERESTARTSYS; /* the deadline is absolute: a restart keeps it */
			break;
		}
	}
	kfree(w);
	return ret;
}

int futex_wake_op(uint32_t *uaddr2, unsigned encoded, bool *condition)
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
	case FUTEX_OP_SET:
		new = oparg;
		break;
	case FUTEX_OP_ADD:
		new = old + oparg;
		break;
	case FUTEX_OP_OR:
		new = old | oparg;
		break;
	case FUTEX_OP_ANDN:
		new = old & ~oparg;
		break;
	case FUTEX_OP_XOR:
		new = old ^ oparg;
		break;
	default:
		return -ENOSYS;
	}
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		*condition = old == cmparg;
		break;
	case FUTEX_OP_CMP_NE:
		*condition = old != cmparg;
		break;
	case FUTEX_OP_CMP_LT:
		*condition = old < cmparg;
		break;
	case FUTEX_OP_CMP_LE:
		*condition = old <= cmparg;
		break;
	case FUTEX_OP_CMP_GT:
		*condition = old > cmparg;
		break;
	case FUTEX_OP_CMP_GE:
		*condition = old >= cmparg;
		break;
	default:
		return -ENOSYS;
	}
	return copy_to_user(uaddr2, &new, sizeof new) ? -EFAULT : 0;
}

/* One robust-list entry of a dying thread: mark the lock's owner dead and
 * wake a waiter, as Linux's handle_futex_death does. A PI lock's waiters
 * wait in its PI state instead: futex_exit_pi_states hands it to one. */
static void release_robust_lock(uint32_t *word, int tid, bool pi)
{
	uint32_t value;
	if ((uintptr_t)word & 3 || copy_from_user(&value, word, sizeof value))
		return;
	if ((value & FUTEX_TID_MASK) != (uint32_t)tid)
		return;
	uint32_t died = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user(word, &died, sizeof died))
		return;
	if (!pi && (value & FUTEX_WAITERS))
		futex_wake((uintptr_t)word, 1, FUTEX_BITSET_MATCH_ANY);
}

/* A robust-list pointer: the entry's address, bit 0 saying it is a PI lock. */
static void release_robust_entry(uintptr_t entry, long futex_offset, int tid)
{
	release_robust_lock((uint32_t *)((entry & ~1ul) + futex_offset), tid, entry & 1);
}

void futex_exit_robust_list(struct thread *t)
{
	struct robust_list_head head;
	if (!t->robust_list || copy_from_user(&head, (void *)t->robust_list, sizeof head))
		return;
	uintptr_t entry = (uintptr_t)head.list.next;
	uintptr_t pending = (uintptr_t)head.list_op_pending;
	for (int n = 0; entry != t->robust_list && n < ROBUST_LIST_LIMIT; n++) {
		struct robust_list next;
		if (copy_from_user(&next, (void *)(entry & ~1ul), sizeof next))
			return;
		if ((entry & ~1ul) != (pending & ~1ul))
			release_robust_entry(entry, head.futex_offset, t->tid);
		entry = (uintptr_t)next.next;
	}
	if (pending)
		release_robust_entry(pending, head.futex_offset, t->tid);
}
