/* rseq's part in the return to the app, and the cpu number it publishes
 * (kernel/proc/rseq.c; sys_rseq registers the area). */
#ifndef SOLE_RSEQ_H
#define SOLE_RSEQ_H

#include <stdint.h>

struct rseq;
struct thread;
struct trap_frame;

/* When f's rip lies inside the critical section t's struct rseq names,
 * moves it to the section's abort_ip; clears rseq_cs either way. 0, or
 * -errno for a descriptor the app got wrong (Linux then sends SIGSEGV). */
int rseq_abort_critical_section(struct thread *t, struct trap_frame *f);

/* Writes cpu into the area's cpu_id_start and cpu_id: 0 or -EFAULT. */
int rseq_publish_cpu(struct rseq *area, uint32_t cpu);
/* After t was switched out: publishes the CPU it runs on now, if that
 * changed. 0 or -EFAULT. */
int rseq_follow_cpu(struct thread *t);

#endif
