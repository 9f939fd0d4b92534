/* Scheduler, see sched.h. Ready threads wait in one FIFO queue per run
 * level (policy.h: 0 for SCHED_OTHER, 1..99 for FIFO and RR, then
 * DEADLINE), with a bitmap of the levels that hold any; blocked threads with
 * a deadline sit in a list sorted by it. The APIC timer is armed for
 * whichever comes first: the next deadline or the end of the running
 * thread's time slice (when another thread is ready). */
#include "kernel/sched/sched.h"

#include <linux/sched.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/panic.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"
#include "kernel/sched/cpu_timer.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/ktimer.h"
#include "kernel/sched/policy.h"
#include "kernel/time.h"

#define SIGKILL_NUMBER 9
#define LEVELS (SCHED_LEVEL_DEADLINE + 1)

struct run_queue {
	struct thread *head, *tail;
};

static struct run_queue run_queues[LEVELS];
static uint64_t ready_levels[(LEVELS + 63) / 64]; /* bit n: run_queues[n] holds a thread */
static struct thread *timers;                     /* blocked with a deadline, soonest first */
static struct thread *dead;                       /* exited; their stacks are freed by the next thread */
static bool need_resched;
static uint64_t slice_end;
static int external_waiters; /* blocked on a device that interrupts (sched_external_wait) */
static bool (*device_waiters)(void); /* or waiting on one that counts its own */

void context_switch(uint64_t *save_rsp, uint64_t next_rsp);
void thread_first_entry(void);

static void run_enqueue_at(struct thread *t, bool front)
{
	int level = sched_policy_level(&t->sched);
	struct run_queue *q = &run_queues[level];
	t->state = THREAD_READY;
	t->run_level = level;
	if (front) {
		t->run_next = q->head;
		q->head = t;
		if (!q->tail)
			q->tail = t;
	} else {
		t->run_next = NULL;
		if (q->tail)
			q->tail->run_next = t;
		else
			q->head = t;
		q->tail = t;
	}
	ready_levels[level / 64] |= 1ull << (level % 64);
}

static void run_enqueue(struct thread *t) { run_enqueue_at(t, false); }

/* The highest level with a ready thread, -1 when none is ready. */
static int best_ready_level(void)
{
	for (int word = (int)(sizeof ready_levels / sizeof ready_levels[0]) - 1; word >= 0; word--)
		if (ready_levels[word])
			return word * 64 + 63 - __builtin_clzll(ready_levels[word]);
	return -1;
}

/* Takes t out of its level's queue (a short walk: the threads ready at one level). */
static void run_remove(struct thread *t)
{
	struct run_queue *q = &run_queues[t->run_level];
	struct thread *before = NULL;
	for (struct thread *each = q->head; each && each != t; each = each->run_next)
		before = each;
	if (before)
		before->run_next = t->run_next;
	else
		q->head = t->run_next;
	if (q->tail == t)
		q->tail = before;
	if (!q->head)
		ready_levels[t->run_level / 64] &= ~(1ull << (t->run_level % 64));
}

static struct thread *run_dequeue(void)
{
	int level = best_ready_level();
	if (level < 0)
		return NULL;
	struct thread *t = run_queues[level].head;
	run_remove(t);
	return t;
}

bool sched_others_ready(void) { return best_ready_level() >= 0; }

/* Whether a ready thread should have the CPU instead of the running one: a
 * higher level at once; the same level when the slice is up, except under
 * FIFO, which runs until it blocks or yields. */
static bool should_preempt(uint64_t now)
{
	int best = best_ready_level();
	const struct thread *t = current_thread();
	int level = sched_policy_level(&t->sched);
	if (best != level)
		return best > level;
	return t->sched.policy != SCHED_FIFO && now >= slice_end;
}

static void timer_insert(struct thread *t)
{
	struct thread **at = &timers;
	while (*at && (*at)->wake_at <= t->wake_at)
		at = &(*at)->timer_next;
	t->timer_next = *at;
	*at = t;
}

static void timer_remove(struct thread *t)
{
	for (struct thread **at = &timers; *at; at = &(*at)->timer_next)
		if (*at == t) {
			*at = t->timer_next;
			return;
		}
}

static void expire_timers(uint64_t now)
{
	while (timers && timers->wake_at <= now) {
		struct thread *t = timers;
		timers = t->timer_next;
		t->wake_reason = WAKE_TIMEOUT;
		run_enqueue(t);
	}
}

static void arm_timer(void)
{
	uint64_t now = time_monotonic_ns();
	uint64_t next = ktimer_next_deadline();
	if (timers && (!next || timers->wake_at < next))
		next = timers->wake_at;
	if (best_ready_level() >= 0 && current_thread()->sched.policy != SCHED_FIFO && (!next || slice_end < next))
		next = slice_end;
	uint64_t cpu_left = current_thread()->state == THREAD_RUNNING ? cpu_timers_next_ns(current_process()) : 0;
	if (cpu_left && (!next || now + cpu_left < next))
		next = now + cpu_left;
	lapic_timer_arm(next ? (next > now ? next - now : 1) : 0);
}

static void fpu_save(struct thread *t)
{
	uint64_t mask = cpu_features.xsave_mask;
	if (mask)
		__asm__ volatile("xsave64 (%0)" ::"r"(t->fpu_area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
		                 : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(t->fpu_area) : "memory");
}

static void fpu_restore(struct thread *t)
{
	uint64_t mask = cpu_features.xsave_mask;
	if (mask)
		__asm__ volatile("xrstor64 (%0)" ::"r"(t->fpu_area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
		                 : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(t->fpu_area) : "memory");
}

static void reap_dead(void)
{
	while (dead && dead != current_thread()) {
		struct thread *t = dead;
		dead = t->run_next;
		thread_free(t);
	}
}

static void switch_to(struct thread *next)
{
	struct thread *prev = current_thread();
	uint64_t now = time_monotonic_ns();
	slice_end = now + sched_policy_slice_ns(&next->sched);
	cputime_charge_system();
	next->state = THREAD_RUNNING;
	if (prev == next)
		return;
	fpu_save(prev);
	prev->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	prev->rseq_check = true; /* preempted: an rseq critical section must abort */
	this_cpu()->current = next;
	percpu_set_kernel_stack(next->kernel_stack_top);
	if (prev->proc->as != next->proc->as)
		addrspace_activate(next->proc->as);
	wrmsr(MSR_FS_BASE, next->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
	fpu_restore(next);
	context_switch(&prev->saved_rsp, next->saved_rsp);
	reap_dead(); /* back in prev, on its own stack again */
}

/* Every thread blocks with no deadline and no device that could wake one:
 * on Linux the app would hang for good. Say so and end it instead. */
static void __attribute__((noreturn)) deadlock(void)
{
	kwarn("deadlock: every thread of the app waits and nothing can wake any of them; ending it");
	vm_end(128 + SIGKILL_NUMBER);
}

/* Picks the next thread and runs it; idles (hlt, interrupts on) while none
 * is ready. The current thread must already be queued, blocked or dead. */
static bool (*idle_work)(void);

void sched_set_idle_work(bool (*work)(void)) { idle_work = work; }

static void schedule(void)
{
	struct thread *next;
	/* The thread giving up the CPU is charged up to now; idle time below
	 * is nobody's CPU time. */
	cputime_charge_system();
	while (!(next = run_dequeue())) {
		if (idle_work && idle_work())
			continue;
		if (!timers && !external_waiters && !(device_waiters && device_waiters()) && !ktimer_next_deadline())
			deadlock();
		arm_timer();
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		expire_timers(time_monotonic_ns());
		ktimer_run_expired(time_monotonic_ns());
		cputime_skip();
	}
	need_resched = false;
	switch_to(next);
	arm_timer();
}

void sched_init(void)
{
	struct thread *t = current_thread();
	t->state = THREAD_RUNNING;
	cputime_skip();
	slice_end = time_monotonic_ns() + sched_policy_slice_ns(&t->sched);
}

void sched_finish_switch(void) { reap_dead(); }

/* The new thread's kernel stack, as context_switch expects to find it:
 * six callee-saved registers (r12 carrying the trap frame), then the return
 * address thread_first_entry. */
void sched_start_thread(struct thread *t, struct trap_frame *frame)
{
	uint64_t *sp = (uint64_t *)frame;
	*--sp = (uint64_t)thread_first_entry;
	*--sp = 0;               /* rbp */
	*--sp = 0;               /* rbx */
	*--sp = (uint64_t)frame; /* r12 */
	*--sp = 0;               /* r13 */
	*--sp = 0;               /* r14 */
	*--sp = 0;               /* r15 */
	t->saved_rsp = (uint64_t)sp;
	fpu_save(t); /* the child starts with the parent's FPU state */
	t->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	run_enqueue(t);
	arm_timer();
}

enum wake_reason sched_block(uint64_t deadline)
{
	struct thread *t = current_thread();
	if (deadline && deadline <= time_monotonic_ns())
		return WAKE_TIMEOUT;
	if (t->signal_wakeup) {
		t->signal_wakeup = false;
		return WAKE_SIGNAL;
	}
	t->state = THREAD_BLOCKED;
	t->wake_reason = WAKE_NONE;
	t->wake_at = deadline;
	if (deadline)
		timer_insert(t);
	schedule();
	return t->wake_reason;
}

void sched_wake(struct thread *t, enum wake_reason why)
{
	if (t->state != THREAD_BLOCKED) {
		if (why == WAKE_SIGNAL)
			t->signal_wakeup = true; /* it will not block before seeing it */
		return;
	}
	if (t->wake_at)
		timer_remove(t);
	t->wake_reason = why;
	run_enqueue(t);
	if (should_preempt(time_monotonic_ns()))
		need_resched = true;
	arm_timer();
}

void sched_yield(void)
{
	if (best_ready_level() < 0)
		return;
	run_enqueue(current_thread());
	schedule();
}

/* A real-time thread that a higher level preempts stays at the front of
 * its queue, as on Linux; one whose slice is up goes to the back. */
void sched_preempt_point(void)
{
	struct thread *t = current_thread();
	if (need_resched && best_ready_level() >= 0) {
		int level = sched_policy_level(&t->sched);
		run_enqueue_at(t, level > 0 && best_ready_level() > level);
		schedule();
	}
	need_resched = false;
}

void sched_level_changed(struct thread *t, int old_level)
{
	int level = sched_policy_level(&t->sched);
	if (t->state == THREAD_READY && level != old_level) {
		run_remove(t);
		run_enqueue_at(t, level < old_level);
	}
	if (should_preempt(time_monotonic_ns()))
		need_resched = true;
	arm_timer();
}

void sched_timers_changed(void) { arm_timer(); }

void sched_timer_interrupt(void)
{
	lapic_eoi();
	uint64_t now = time_monotonic_ns();
	expire_timers(now);
	ktimer_run_expired(now);
	if (current_thread()->state == THREAD_RUNNING)
		cpu_timers_run(current_process());
	if (should_preempt(now))
		need_resched = true;
	arm_timer();
}

void sched_exit_current(void)
{
	struct thread *t = current_thread();
	t->state = THREAD_DEAD;
	t->run_next = dead;
	dead = t;
	schedule();
	panic("a dead thread was scheduled");
}

void sched_external_wait(int delta) { external_waiters += delta; }

void sched_set_device_waiters(bool (*any)(void)) { device_waiters = any; }
