/* Priority-inheritance futexes (kernel/sched/futex_pi.c): locks whose word
 * names their owner, which the kernel hands from owner to waiter and whose
 * owner runs at its highest waiter's level. */
#ifndef SOLE_FUTEX_PI_H
#define SOLE_FUTEX_PI_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

/* FUTEX_LOCK_PI(2): takes the lock at uaddr, or waits until it is handed
 * over, the deadline (monotonic ns, 0 for none) or a signal (a restart);
 * with trylock never waits (-EAGAIN). -EDEADLK when the caller owns it or
 * its owner waits, maybe through others, for a lock the caller holds;
 * -ESRCH when the word names no thread, -EFAULT. */
long futex_lock_pi(uint32_t *uaddr, uint64_t deadline, bool trylock);
/* FUTEX_UNLOCK_PI: hands the caller's lock to its highest waiter, or frees
 * it; -EPERM when the caller does not own it. */
long futex_unlock_pi(uint32_t *uaddr);
/* FUTEX_WAIT_REQUEUE_PI: waits on uaddr while it holds val, until
 * FUTEX_CMP_REQUEUE_PI moves the caller to the PI lock at uaddr2 and it
 * gets that lock (0), the deadline (-ETIMEDOUT) or a signal. */
long futex_wait_requeue_pi(uint32_t *uaddr, uint32_t val, uint64_t deadline, uint32_t *uaddr2);
/* FUTEX_CMP_REQUEUE_PI: while uaddr holds cmpval, takes the lock at uaddr2
 * for the oldest waiter if free and wakes it, and moves up to nr_requeue
 * more waiters to wait for that lock. Returns how many it woke or moved. */
long futex_cmp_requeue_pi(uint32_t *uaddr, uint32_t cmpval, int nr_requeue, uint32_t *uaddr2);
/* t's own run level changed: what it lends the owner it waits for, if
 * any, follows (Linux's rt_mutex_adjust_pi). */
void futex_pi_waiter_level_changed(const struct thread *t);
/* A dying thread's PI locks with waiters go to their highest waiter, after
 * the robust-list walk marked the robust ones FUTEX_OWNER_DIED. */
void futex_exit_pi_states(struct thread *t);

#endif
