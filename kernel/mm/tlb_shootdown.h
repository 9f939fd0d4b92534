/* Keeping other CPUs' TLBs true to the page tables. A CPU caches
 * translations of the address space in its CR3, and of one it ran last
 * while it idles; when another CPU changes or removes an entry of that
 * address space, the first must flush before the change counts: before the
 * syscall that made it returns, and before a page it mapped is freed.
 *
 * The kernel lock's holder (kernel/sched/kernel_lock.h) records both as it
 * goes; before the lock is released, tlb_shootdown_finish sends a flush IPI
 * to each CPU with such a root loaded, waits until each has flushed, and
 * only then gives back the pages. A CPU flushes in the IPI's handler, or
 * while it spins for the lock with interrupts off. With one CPU all of
 * this is a no-op. */
#ifndef SOLE_TLB_SHOOTDOWN_H
#define SOLE_TLB_SHOOTDOWN_H

#include <stdint.h>

/* Entries of the page tables under root changed: other CPUs must flush. */
void tlb_shootdown_later(uint64_t root);
/* A page was unmapped from root: its reference goes once the other CPUs
 * have flushed (at once with one CPU). */
void tlb_release_page_later(uint64_t root, uint64_t phys);
/* Does what the two above recorded. */
void tlb_shootdown_finish(void);
/* root is about to be freed: every other CPU that has it loaded switches
 * to the kernel's page tables first. */
void tlb_leave_root(uint64_t root);
/* This CPU's part: the flush another CPU asked for, if any. */
void tlb_shootdown_serve(void);

#endif
