/* CPU time per thread, split as Linux splits it: user time in ring 3 and
 * system time in the kernel on the thread's behalf (syscalls, faults). The
 * kernel marks every crossing between the two, and every switch; the span
 * since the last mark goes to the running thread. Idle time is nobody's. */
#ifndef SOLE_CPUTIME_H
#define SOLE_CPUTIME_H

#include <stdint.h>

struct process;
struct thread;

struct cpu_times {
	uint64_t user_ns, system_ns;
};

static inline uint64_t cpu_times_total(struct cpu_times c) { return c.user_ns + c.system_ns; }

static inline void cpu_times_add(struct cpu_times *to, struct cpu_times c)
{
	to->user_ns += c.user_ns;
	to->system_ns += c.system_ns;
}

/* The fast path, a TSC read and two adds: entry from ring 3 (the span
 * since the mark was user time), and anything that ends a span of kernel
 * time, the return to ring 3 or a switch (system time). */
void cputime_charge_user(void);
void cputime_charge_system(void);
/* Drops the span since the mark: the CPU idled. */
void cputime_skip(void);

/* t's times so far, its running span included. */
struct cpu_times cputime_thread(const struct thread *t);
/* Its live threads' and its ended threads'. */
struct cpu_times cputime_process(const struct process *p);

#endif
