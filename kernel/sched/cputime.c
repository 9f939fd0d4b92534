/* Per-thread user and system time, see cputime.h. Counted in TSC ticks
 * (no multiply on the fast path) and turned into ns when read. Each CPU
 * keeps the mark of the thread it runs. */
#include "kernel/sched/cputime.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"

void cputime_charge_user(void)
{
	uint64_t now = rdtsc();
	struct percpu *cpu = this_cpu();
	cpu->current->user_ticks += now - cpu->cputime_mark;
	cpu->cputime_mark = now;
}

void cputime_charge_system(void)
{
	uint64_t now = rdtsc();
	struct percpu *cpu = this_cpu();
	cpu->current->system_ticks += now - cpu->cputime_mark;
	cpu->cputime_mark = now;
}

void cputime_skip(void) { this_cpu()->cputime_mark = rdtsc(); }

/* A running thread's open span: system time when it reads its own (it is
 * in the kernel), user time when it runs on another CPU now (it is in the
 * app, or waits for the kernel lock to leave it). */
struct cpu_times cputime_thread(const struct thread *t)
{
	uint64_t system = t->system_ticks, user = t->user_ticks;
	if (t->state == THREAD_RUNNING && t->cpu) {
		if (t == current_thread())
			system += rdtsc() - t->cpu->cputime_mark;
		else
			user += rdtsc() - t->cpu->cputime_mark;
	}
	return (struct cpu_times){time_tsc_to_ns(user), time_tsc_to_ns(system)};
}

struct cpu_times cputime_process(const struct process *p)
{
	struct cpu_times sum = p->dead_threads_cpu;
	for (const struct thread *t = p->threads; t; t = t->next_in_process)
		cpu_times_add(&sum, cputime_thread(t));
	return sum;
}
