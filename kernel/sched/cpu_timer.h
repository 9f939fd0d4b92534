/* Timers that count CPU time instead of wall time: ITIMER_VIRTUAL (user
 * time) and ITIMER_PROF (user and system), POSIX timers on a process's or
 * a thread's CPU clock, and RLIMIT_CPU. One CPU runs one thread at a time,
 * so a clock of the running process gains at most the wall time that
 * passes: the scheduler arms the APIC timer for the soonest wall time one
 * of them could expire, and checks them when it fires. */
#ifndef SOLE_CPU_TIMER_H
#define SOLE_CPU_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct process;

struct cpu_timer {
	uint64_t expires; /* ns on its clock; 0 while not armed */
	struct process *proc;
	int tid;        /* a thread's clock, 0 for the whole process's */
	bool user_only; /* user time alone (ITIMER_VIRTUAL), else user and system */
	/* Runs from the timer interrupt with its clock's reading; it may re-arm
	 * its own timer (later than now) but must not block. */
	void (*fire)(struct cpu_timer *t, uint64_t now);
	struct cpu_timer *next;
};

/* Arms t for expires (> 0, on its clock), re-arming it if it was armed. */
void cpu_timer_arm(struct cpu_timer *t, uint64_t expires);
void cpu_timer_cancel(struct cpu_timer *t);
static inline bool cpu_timer_armed(const struct cpu_timer *t) { return t->expires != 0; }
/* Its clock now (0 when its thread is gone). */
uint64_t cpu_timer_clock(const struct cpu_timer *t);

/* For the scheduler, about the running process p: the wall time before
 * any of its timers or its CPU limit could expire (0 for none), and
 * firing those that have, with SIGXCPU and SIGKILL for RLIMIT_CPU. */
uint64_t cpu_timers_next_ns(const struct process *p);
void cpu_timers_run(struct process *p);

#endif
