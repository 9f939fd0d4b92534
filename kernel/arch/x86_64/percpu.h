/* Per-CPU state, found through %gs in the kernel. One CPU today; the
 * fields that must be per-CPU for SMP already live here. */
#ifndef SOLE_PERCPU_H
#define SOLE_PERCPU_H

#include <stdint.h>

struct thread;

struct percpu {
	struct percpu *self;
	uint64_t kernel_stack; /* top of the running thread's kernel stack */
	uint64_t user_rsp;     /* scratch for syscall_entry */
	struct thread *current;
};

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

void percpu_init(void);
/* Points the TSS and syscall entry at the next thread's kernel stack. */
void percpu_set_kernel_stack(uint64_t top);

#endif
