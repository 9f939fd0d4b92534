/* Per-CPU state, found through %gs in the kernel: one block per online
 * CPU, the boot CPU's first. */
#ifndef SOLE_PERCPU_H
#define SOLE_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 64

struct thread;
struct cpu_tables;

struct percpu {
	struct percpu *self;
	uint64_t kernel_stack; /* top of the running thread's kernel stack */
	uint64_t user_rsp;     /* scratch for syscall_entry */
	struct thread *current;
	int index;             /* 0 for the boot CPU, then in the order they came up */
	uint8_t apic_id;
	struct cpu_tables *tables; /* its GDT, TSS and double-fault stack */
	uint64_t idle_stack_top;   /* where it waits with no thread (sched.c) */
	/* The scheduler's (kernel/sched/sched.c, cputime.c). */
	bool need_resched;
	bool idle;                    /* waiting in hlt for a thread to run */
	uint64_t slice_end;
	struct thread *switched_from; /* the thread it just left, until the switch is over */
	uint64_t cputime_mark;        /* TSC at the running thread's last crossing or switch */
	uint64_t idle_tsc;            /* TSC ticks spent idle, for /proc/stat */
	uint64_t idle_since;          /* TSC when its idle span began, 0 while not idle */
	/* The page-table root in CR3, and a flush another CPU asked for
	 * (kernel/mm/tlb_shootdown.c). */
	uint64_t active_root;
	uint64_t leave_root; /* ... or a root to leave for the kernel's */
	volatile bool flush_pending;
};

/* Every online CPU's block, by index; cpu_count of them. */
extern struct percpu *cpus[MAX_CPUS];
extern int cpu_count;

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline int cpu_index(void) { return this_cpu()->index; }

/* The boot CPU's GDT, TSS and per-CPU block. */
void percpu_init_boot(void);
/* An application processor's: its block, with index, APIC ID and tables
 * (percpu_tables_size bytes) set by the caller, which allocated both. */
void percpu_init_ap(struct percpu *cpu);
/* The size percpu_init_ap wants for tables. */
unsigned long percpu_tables_size(void);
/* Points the TSS and syscall entry at the next thread's kernel stack. */
void percpu_set_kernel_stack(uint64_t top);

#endif
