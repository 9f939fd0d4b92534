/* Scheduler, see sched.h. Ready threads wait in one FIFO queue per run
 * level (policy.h: 0 for SCHED_OTHER, 1..99 for FIFO and RR, then
 * DEADLINE), with a bitmap of the levels that hold any; blocked threads with
 * a deadline sit in a list sorted by it. The queues are shared by every
 * CPU, under the kernel lock (kernel_lock.h): a CPU takes the best thread
 * it may run, one whose affinity mask allows it and that no other CPU
 * still idles on. A thread that becomes ready wakes an idle CPU it may run
 * on by IPI, or makes a busy one look again. Each CPU's APIC timer is armed
 * for whichever comes first: the next deadline or the end of its thread's
 * time slice (when another thread is ready for it). */
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
#include "kernel/sched/kernel_lock.h"
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
static struct thread *dead;                       /* exited; their stacks are freed once off every CPU */
static int external_waiters; /* blocked on a device that interrupts (sched_external_wait) */
static bool (*device_waiters)(void); /* or waiting on one that counts its own */

void context_switch(uint64_t *save_rsp, uint64_t next_rsp);
void context_first_entry(void);

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

static bool level_ready(int level) { return ready_levels[level / 64] >> (level % 64) & 1; }

/* Whether t's affinity mask allows cpu. */
static bool allowed_on(const struct thread *t, const struct percpu *cpu) { return t->cpu_mask >> cpu->index & 1; }

/* ... and no other CPU is on its stack. */
static bool may_run_on(const struct thread *t, const struct percpu *cpu)
{
	return (!t->cpu || t->cpu == cpu) && allowed_on(t, cpu);
}

/* The best ready thread cpu may run, NULL when none. */
static struct thread *best_for(const struct percpu *cpu)
{
	for (int level = best_ready_level(); level >= 0; level--)
		if (level_ready(level))
			for (struct thread *t = run_queues[level].head; t; t = t->run_next)
				if (may_run_on(t, cpu))
					return t;
	return NULL;
}

static int best_level_for(const struct percpu *cpu)
{
	const struct thread *t = best_for(cpu);
	return t ? t->run_level : -1;
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
	struct thread *t = best_for(this_cpu());
	if (t)
		run_remove(t);
	return t;
}

bool sched_others_ready(void) { return best_ready_level() >= 0; }

/* This CPU runs a thread (rather than idling on a blocked one's stack). */
static struct thread *running_here(void)
{
	struct thread *t = current_thread();
	return t && t->state == THREAD_RUNNING ? t : NULL;
}

/* Whether a ready thread should have this CPU instead of the running one:
 * a higher level at once; the same level when the slice is up, except
 * under FIFO, which runs until it blocks or yields. */
static bool should_preempt(uint64_t now)
{
	const struct thread *t = running_here();
	if (!t)
		return false;
	int best = best_level_for(this_cpu());
	int level = sched_policy_level(&t->sched);
	if (best != level)
		return best > level;
	return t->sched.policy != SCHED_FIFO && now >= this_cpu()->slice_end;
}

static void interrupt_cpu(struct percpu *cpu) { lapic_send_ipi(cpu->apic_id, RESCHEDULE_VECTOR); }

/* t became ready: a CPU that may run it should look. One that idles on
 * its stack is the only one that can; else an idle CPU it may run on;
 * else this one, if t should preempt its thread; else a busy one, which
 * then arms its timer for the end of its thread's slice. An idle CPU that
 * was sent for counts as busy until it has looked. */
static void kick_cpu_for(struct thread *t)
{
	struct percpu *me = this_cpu();
	if (t->cpu) {
		if (t->cpu != me && t->cpu->idle) {
			t->cpu->idle = false;
			interrupt_cpu(t->cpu);
		}
		return;
	}
	if (me->idle && may_run_on(t, me))
		return; /* an interrupt while this CPU idles: it looks next */
	for (int i = 0; i < cpu_count; i++)
		if (cpus[i] != me && cpus[i]->idle && may_run_on(t, cpus[i])) {
			cpus[i]->idle = false;
			interrupt_cpu(cpus[i]);
			return;
		}
	if (may_run_on(t, me) && should_preempt(time_monotonic_ns())) {
		me->need_resched = true;
		return;
	}
	for (int i = 0; i < cpu_count; i++)
		if (cpus[i] != me && may_run_on(t, cpus[i])) {
			interrupt_cpu(cpus[i]);
			return;
		}
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
		kick_cpu_for(t);
	}
}

/* Every CPU arms for the next deadline; the first to take the interrupt
 * serves it. */
static void arm_timer(void)
{
	struct percpu *me = this_cpu();
	struct thread *running = running_here();
	uint64_t now = time_monotonic_ns();
	uint64_t next = ktimer_next_deadline();
	if (timers && (!next || timers->wake_at < next))
		next = timers->wake_at;
	if (running && running->sched.policy != SCHED_FIFO && best_for(me) && (!next || me->slice_end < next))
		next = me->slice_end;
	uint64_t cpu_left = running ? cpu_timers_next_ns(running->proc) : 0;
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

/* Frees the dead threads no CPU is on any more. */
static void reap_dead(void)
{
	for (struct thread **at = &dead; *at;) {
		struct thread *t = *at;
		if (t->cpu) {
			at = &t->run_next;
			continue;
		}
		*at = t->run_next;
		thread_free(t);
	}
}

/* On the new thread's stack: the one this CPU left is free for others to
 * run, or to reap. */
static void finish_switch(void)
{
	struct percpu *me = this_cpu();
	struct thread *prev = me->switched_from;
	me->switched_from = NULL;
	if (prev) {
		prev->cpu = NULL;
		if (prev->state == THREAD_READY)
			kick_cpu_for(prev);
	}
	reap_dead();
}

/* A stack below top as context_switch expects to find it: six
 * callee-saved registers (r13 the function, r12 its argument), then the
 * return address context_first_entry, which calls fn(arg). */
static uint64_t fresh_context(uint64_t top, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)top;
	*--sp = (uint64_t)context_first_entry;
	*--sp = 0;             /* rbp */
	*--sp = 0;             /* rbx */
	*--sp = (uint64_t)arg; /* r12 */
	*--sp = (uint64_t)fn;  /* r13 */
	*--sp = 0;             /* r14 */
	*--sp = 0;             /* r15 */
	return (uint64_t)sp;
}

/* prev is NULL on an application processor's first switch, from the
 * stack it came up on, which it never returns to. */
static void switch_to(struct thread *next)
{
	struct percpu *me = this_cpu();
	struct thread *prev = me->current;
	uint64_t now = time_monotonic_ns();
	me->slice_end = now + sched_policy_slice_ns(&next->sched);
	if (prev)
		cputime_charge_system();
	else
		cputime_skip();
	next->state = THREAD_RUNNING;
	next->cpu = me;
	next->last_cpu = me->index;
	if (prev == next)
		return;
	uint64_t boot_stack_rsp;
	if (prev) {
		fpu_save(prev);
		prev->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
		prev->rseq_check = true; /* preempted: an rseq critical section must abort */
	}
	me->current = next;
	percpu_set_kernel_stack(next->kernel_stack_top);
	if (me->active_root != next->proc->as->root)
		addrspace_activate(next->proc->as);
	wrmsr(MSR_FS_BASE, next->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
	fpu_restore(next);
	me->switched_from = prev;
	context_switch(prev ? &prev->saved_rsp : &boot_stack_rsp, next->saved_rsp);
	finish_switch(); /* back in prev, on its own stack again */
}

/* Every thread blocks with no deadline and no device that could wake one,
 * and every other CPU idles: on Linux the app would hang for good. Say so
 * and end it instead. */
static void __attribute__((noreturn)) deadlock(void)
{
	kwarn("deadlock: every thread of the app waits and nothing can wake any of them; ending it");
	vm_end(128 + SIGKILL_NUMBER);
}

static void schedule(void);

/* This CPU's idle context: no thread, on the CPU's idle stack, until a
 * thread is ready for it. */
static void idle_context(void *unused)
{
	(void)unused;
	finish_switch();
	schedule();
	panic("a CPU's idle context was resumed");
}

/* Leaves the current thread for this CPU's idle context: for a thread
 * that is ready but may not run on this CPU any more (its affinity
 * changed), when no other is ready here; another CPU can take it only
 * once it is off this one. Returns when some CPU runs it again. */
static void switch_to_idle(void)
{
	struct percpu *me = this_cpu();
	struct thread *prev = me->current;
	fpu_save(prev);
	prev->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	prev->rseq_check = true;
	me->current = NULL;
	me->switched_from = prev;
	context_switch(&prev->saved_rsp, fresh_context(me->idle_stack_top, idle_context, NULL));
	finish_switch();
}

static bool anything_can_wake(void)
{
	if (timers || external_waiters || (device_waiters && device_waiters()) || ktimer_next_deadline() ||
	    best_ready_level() >= 0)
		return true;
	for (int i = 0; i < cpu_count; i++)
		if (cpus[i] != this_cpu() && !cpus[i]->idle)
			return true; /* it runs a thread, which may wake others */
	return false;
}

/* hlt with interrupts on and the kernel lock given back, for the other
 * CPUs; an interrupt here takes the lock for its handler. */
static void idle_wait(void)
{
	struct percpu *me = this_cpu();
	me->idle_since = rdtsc();
	me->idle = true;
	kernel_unlock();
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	kernel_lock();
	me->idle = false;
	me->idle_tsc += rdtsc() - me->idle_since;
	me->idle_since = 0;
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
	if (current_thread())
		cputime_charge_system();
	while (!(next = run_dequeue())) {
		struct thread *t = current_thread();
		if (t && t->state == THREAD_READY) {
			switch_to_idle();
			arm_timer();
			return;
		}
		if (idle_work && idle_work())
			continue;
		if (!anything_can_wake())
			deadlock();
		arm_timer();
		idle_wait();
		expire_timers(time_monotonic_ns());
		ktimer_run_expired(time_monotonic_ns());
		cputime_skip();
	}
	this_cpu()->need_resched = false;
	switch_to(next);
	arm_timer();
}

void sched_init(void)
{
	struct thread *t = current_thread();
	t->state = THREAD_RUNNING;
	t->cpu = this_cpu();
	cputime_skip();
	this_cpu()->slice_end = time_monotonic_ns() + sched_policy_slice_ns(&t->sched);
}

void sched_run_ap(void)
{
	kernel_lock();
	schedule();
	panic("an application processor's first schedule returned");
}

void sched_finish_switch(void) { finish_switch(); }

static void first_run(void *frame) { thread_first_run(frame); }

void sched_start_thread(struct thread *t, struct trap_frame *frame)
{
	t->saved_rsp = fresh_context((uint64_t)frame, first_run, frame);
	fpu_save(t); /* the child starts with the parent's FPU state */
	t->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	run_enqueue(t);
	kick_cpu_for(t);
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
		if (why == WAKE_SIGNAL) {
			t->signal_wakeup = true; /* it will not block before seeing it */
			if (t->state == THREAD_RUNNING && t->cpu && t->cpu != this_cpu())
				interrupt_cpu(t->cpu); /* in the app there: it enters the kernel and sees it */
		}
		return;
	}
	if (t->wake_at)
		timer_remove(t);
	t->wake_reason = why;
	run_enqueue(t);
	kick_cpu_for(t);
	arm_timer();
}

void sched_yield(void)
{
	if (!best_for(this_cpu()))
		return;
	run_enqueue(current_thread());
	schedule();
}

/* A real-time thread that a higher level preempts stays at the front of
 * its queue, as on Linux; one whose slice is up goes to the back. */
void sched_preempt_point(void)
{
	struct thread *t = current_thread();
	struct percpu *me = this_cpu();
	bool must_leave = !allowed_on(t, me); /* its affinity changed */
	if (must_leave || (me->need_resched && best_for(me))) {
		int level = sched_policy_level(&t->sched);
		run_enqueue_at(t, level > 0 && best_level_for(me) > level);
		schedule();
	}
	me->need_resched = false;
}

void sched_level_changed(struct thread *t, int old_level)
{
	int level = sched_policy_level(&t->sched);
	if (t->state == THREAD_READY && level != old_level) {
		run_remove(t);
		run_enqueue_at(t, level < old_level);
		kick_cpu_for(t);
	}
	if (should_preempt(time_monotonic_ns()))
		this_cpu()->need_resched = true;
	arm_timer();
}

void sched_timers_changed(void) { arm_timer(); }

void sched_set_affinity(struct thread *t, uint64_t mask)
{
	t->cpu_mask = mask;
	if (t->state == THREAD_READY)
		kick_cpu_for(t);
	else if (t->state == THREAD_RUNNING && t->cpu && t->cpu != this_cpu() && !allowed_on(t, t->cpu))
		interrupt_cpu(t->cpu); /* its way back to the app passes sched_preempt_point */
}

void sched_timer_interrupt(void)
{
	lapic_eoi();
	uint64_t now = time_monotonic_ns();
	expire_timers(now);
	ktimer_run_expired(now);
	if (running_here())
		cpu_timers_run(current_process());
	if (should_preempt(now))
		this_cpu()->need_resched = true;
	arm_timer();
}

void sched_reschedule_interrupt(void)
{
	lapic_eoi();
	if (should_preempt(time_monotonic_ns()))
		this_cpu()->need_resched = true;
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
