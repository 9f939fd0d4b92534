/* The scheduler: ready threads on the CPUs by their policy's run level
 * (kernel/sched/policy.h): SCHED_DEADLINE first, then FIFO and RR by
 * priority, then round-robin over the others with slices by nice value;
 * preemption by the local APIC timer, blocking with deadlines. The kernel
 * itself is not preempted: it runs with interrupts off and gives the CPU up only in
 * sched_block and at the return to ring 3. */
#ifndef SOLE_SCHED_H
#define SOLE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct thread;
struct trap_frame;

enum wake_reason {
	WAKE_NONE,
	WAKE_EVENT,   /* what it waited for happened */
	WAKE_TIMEOUT, /* its deadline passed */
	WAKE_SIGNAL,  /* a signal arrived for it */
};

void sched_init(void);
/* Makes a new thread runnable: it starts by leaving for ring 3 through
 * frame, which must lie at the top of its kernel stack. */
void sched_start_thread(struct thread *t, struct trap_frame *frame);
/* A new thread's first run calls this first (thread_first_run): what
 * every switch does once back on the new stack. */
void sched_finish_switch(void);
/* Blocks the current thread until sched_wake or deadline (monotonic ns, 0
 * for none). Returns why it woke. */
enum wake_reason sched_block(uint64_t deadline);
/* Makes a blocked thread ready; no effect on one that is not blocked. */
void sched_wake(struct thread *t, enum wake_reason why);
/* Gives the CPU to another ready thread, if any. */
void sched_yield(void);
/* Whether another thread is ready to run: a driver waiting for its device
 * polls when none is (blocking would only idle), and blocks when one is. */
bool sched_others_ready(void);
/* t's scheduling parameters changed; old_level is its run level before.
 * A ready thread moves to its new level (to the back when raised, to the
 * front when lowered, as Linux does), and the CPU goes where it now should. */
void sched_level_changed(struct thread *t, int old_level);
/* Called on the way back to ring 3: switches when the time slice is up. */
void sched_preempt_point(void);
/* A kernel timer (ktimer.h) was armed: the APIC timer may need to fire sooner. */
void sched_timers_changed(void);
/* The timer interrupt. */
void sched_timer_interrupt(void);
/* The reschedule IPI: another CPU made a thread ready that may want this
 * CPU, or sent a signal to the thread running here. */
void sched_reschedule_interrupt(void);
/* t may run only on the CPUs in mask (by index) from now on; one that
 * runs on a CPU it no longer may leaves it at once. */
void sched_set_affinity(struct thread *t, uint64_t mask);
/* An application processor, once up, waits here for threads to run. */
void sched_run_ap(void) __attribute__((noreturn));
/* Ends the current thread for good; its stack is freed later. */
void sched_exit_current(void) __attribute__((noreturn));
/* A driver counts the threads blocked on its device (+1 before blocking,
 * -1 after): while any is, idle is not a deadlock, since an interrupt may
 * wake it. */
void sched_external_wait(int delta);
/* A device whose waiters come and go without sched_external_wait (the
 * console's stdin, which poll and epoll watch too) answers whether any
 * thread waits on it now. */
void sched_set_device_waiters(bool (*any)(void));
/* Work to do each time no thread is ready, before idling; it returns true
 * when it may have made one ready (the network registers its loopback
 * delivery when it starts). One hook: the scheduler knows nothing of who. */
void sched_set_idle_work(bool (*work)(void));

#endif
