/* rseq's part in the return to the app (syscalls/rseq.c). */
#ifndef SOLE_RSEQ_H
#define SOLE_RSEQ_H

struct thread;
struct trap_frame;

/* When f's rip lies inside the critical section t's struct rseq names,
 * moves it to the section's abort_ip; clears rseq_cs either way. 0, or
 * -errno for a descriptor the app got wrong (Linux then sends SIGSEGV). */
int rseq_abort_critical_section(struct thread *t, struct trap_frame *f);

#endif
