/* Per-thread user and system time, see cputime.h. Counted in TSC ticks
 * (no multiply on the fast path) and turned into ns when read. One CPU, so
 * one mark. */
#include "kernel/sched/cputime.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"

static uint64_t mark; /* TSC at the running thread's last crossing or switch */

void cputime_charge_user(void)
{
	uint64_t now = rdtsc();
	current_thread()->user_ticks += now - mark;
	mark = now;
}

void cputime_charge_system(void)
{
	uint64_t now = rdtsc();
	current_thread()->system_ticks += now - mark;
	mark = now;
}

void cputime_skip(void) { mark = rdtsc(); }

/* The running thread reads its own times from the kernel: its open span is
 * system time. */
struct cpu_times cputime_thread(const struct thread *t)
{
	uint64_t system = t->system_ticks;
	if (t == current_thread() && t->state == THREAD_RUNNING)
		system += rdtsc() - mark;
	return (struct cpu_times){time_tsc_to_ns(t->user_ticks), time_tsc_to_ns(system)};
}

struct cpu_times cputime_process(const struct process *p)
{
	struct cpu_times sum = p->dead_threads_cpu;
	for (const struct thread *t = p->threads; t; t = t->next_in_process)
		cpu_times_add(&sum, cputime_thread(t));
	return sum;
}
