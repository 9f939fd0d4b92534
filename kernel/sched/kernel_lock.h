/* The kernel lock: one CPU at a time runs kernel code. The kernel was
 * written for one CPU, running with interrupts off and giving the CPU up
 * only where it blocks; holding this lock whenever it runs keeps every one
 * of those assumptions true with several CPUs, while the app's threads and
 * processes run in ring 3 on all of them at once (Linux 2.0 started SMP
 * the same way). Taken on every entry from ring 3 and by an interrupt that
 * wakes an idle CPU; given back on the way to ring 3 and while idling.
 * Lock order and what stays serialised: docs/SMP.md. */
#ifndef SOLE_KERNEL_LOCK_H
#define SOLE_KERNEL_LOCK_H

#include <stdbool.h>

/* Both are no-ops until a second CPU is up. Waiting for the lock, a CPU
 * still does the TLB flushes other CPUs ask of it (tlb_shootdown.h), so
 * the holder may wait for those. */
void kernel_lock(void);
void kernel_unlock(void);
/* Whether this CPU holds it (always true before the second CPU is up). */
bool kernel_lock_held(void);
/* From now on the lock is real; the boot CPU, which calls this, holds it. */
void kernel_lock_start_smp(void);

#endif
