/* The kernel lock, see kernel_lock.h: a ticket lock, so that CPUs get it in
 * the order they asked, with the holder's CPU index beside it. Before it is
 * released, the TLB flushes the holder recorded are done: a page unmapped
 * under the lock is not reused by anyone until every CPU has forgotten it. */
#include "kernel/sched/kernel_lock.h"

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/mm/tlb_shootdown.h"
#include "kernel/panic.h"

static struct {
	uint32_t next_ticket;
	uint32_t serving;
	int owner; /* CPU index, -1 when free */
} lock = {.owner = -1};
static bool smp;

void kernel_lock_start_smp(void)
{
	lock.next_ticket = 1;
	lock.serving = 0;
	lock.owner = cpu_index();
	smp = true;
}

void kernel_lock(void)
{
	if (!smp)
		return;
	if (lock.owner == cpu_index())
		panic("kernel lock: CPU %d takes it again", cpu_index());
	uint32_t ticket = __atomic_fetch_add(&lock.next_ticket, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&lock.serving, __ATOMIC_ACQUIRE) != ticket) {
		tlb_shootdown_serve();
		cpu_relax();
	}
	lock.owner = cpu_index();
}

void kernel_unlock(void)
{
	if (!smp)
		return;
	if (lock.owner != cpu_index())
		panic("kernel lock: CPU %d releases it but CPU %d holds it", cpu_index(), lock.owner);
	tlb_shootdown_finish();
	lock.owner = -1;
	__atomic_store_n(&lock.serving, lock.serving + 1, __ATOMIC_RELEASE);
}

bool kernel_lock_held(void) { return !smp || lock.owner == cpu_index(); }
