/* Futex queues (kernel/sched/futex.c): waiting on and waking a word of the
 * app's memory, and the futex side of thread exit. */
#ifndef SOLE_FUTEX_H
#define SOLE_FUTEX_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

/* Blocks the caller while the word at uaddr holds val, until a wake whose
 * bits meet bitset, the deadline (monotonic ns, 0 for none) or a signal:
 * 0, -EAGAIN (the word changed), -ETIMEDOUT, -EFAULT or a restart. */
long futex_wait(uint32_t *uaddr, uint32_t val, uint64_t deadline, uint32_t bitset);
/* One word of a futex_waitv vector: where it is and the value it must hold. */
struct futex_word {
	uint32_t *uaddr;
	uint32_t val;
};
/* futex_waitv: blocks while every word holds its value, until a wake on any
 * of them, the deadline (monotonic ns, 0 for none) or a signal. Returns the
 * index of a woken word, -EAGAIN (a word differs), -ETIMEDOUT, -EFAULT or
 * -ERESTARTSYS. */
long futex_wait_multiple(const struct futex_word *words, int count, uint64_t deadline);
/* Wakes up to count waiters on the word at uaddr whose bitset meets bits. */
int futex_wake(uintptr_t uaddr, int count, uint32_t bits);
/* Moves up to count waiters on from to the queue of to. */
int futex_requeue(uintptr_t from, uintptr_t to, int count);
/* FUTEX_WAKE_OP's atomic step on the word at uaddr2: applies the encoded
 * operation and says whether the old value met its comparison. */
int futex_wake_op(uint32_t *uaddr2, unsigned encoded, bool *condition);
/* Releases the robust futexes a dying thread still holds. */
void futex_exit_robust_list(struct thread *t);

#endif
