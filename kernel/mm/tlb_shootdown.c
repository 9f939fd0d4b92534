/* TLB shootdown by IPI, see tlb_shootdown.h. The requests wait in two
 * small lists, the roots to flush and the pages to give back; when either
 * fills, the shootdown happens early. The lists belong to whoever holds
 * the kernel lock. */
#include "kernel/mm/tlb_shootdown.h"

#include <stdbool.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/mm/page.h"
#include "kernel/mm/paging.h"

#define MAX_ROOTS 8
#define MAX_PAGES 256

static uint64_t roots[MAX_ROOTS];
static int root_count;
static bool every_root; /* more roots than the list holds: flush all CPUs */
static uint64_t pages[MAX_PAGES];
static int page_count;

/* Asks each other CPU that has root loaded (any root when root is 0) to
 * flush, or to leave root for the kernel's page tables, and waits for all. */
static void ask_others(uint64_t root, bool leave)
{
	struct percpu *me = this_cpu();
	struct percpu *asked[MAX_CPUS];
	int n = 0;
	for (int i = 0; i < cpu_count; i++) {
		struct percpu *c = cpus[i];
		if (c == me || (root && c->active_root != root))
			continue;
		c->leave_root = leave ? root : 0;
		__atomic_store_n(&c->flush_pending, true, __ATOMIC_RELEASE);
		lapic_send_ipi(c->apic_id, TLB_FLUSH_VECTOR);
		asked[n++] = c;
	}
	for (int i = 0; i < n; i++)
		while (__atomic_load_n(&asked[i]->flush_pending, __ATOMIC_ACQUIRE))
			cpu_relax();
}

void tlb_shootdown_finish(void)
{
	if (every_root)
		ask_others(0, false);
	else
		for (int i = 0; i < root_count; i++)
			ask_others(roots[i], false);
	root_count = 0;
	every_root = false;
	for (int i = 0; i < page_count; i++)
		page_unref(pages[i]);
	page_count = 0;
}

void tlb_shootdown_later(uint64_t root)
{
	if (cpu_count == 1 || every_root)
		return;
	for (int i = 0; i < root_count; i++)
		if (roots[i] == root)
			return;
	if (root_count < MAX_ROOTS)
		roots[root_count++] = root;
	else
		every_root = true;
}

void tlb_release_page_later(uint64_t root, uint64_t phys)
{
	if (cpu_count == 1) {
		page_unref(phys);
		return;
	}
	tlb_shootdown_later(root);
	pages[page_count++] = phys;
	if (page_count == MAX_PAGES)
		tlb_shootdown_finish();
}

void tlb_leave_root(uint64_t root)
{
	if (cpu_count > 1)
		ask_others(root, true);
}

void tlb_shootdown_serve(void)
{
	struct percpu *me = this_cpu();
	if (!__atomic_load_n(&me->flush_pending, __ATOMIC_ACQUIRE))
		return;
	if (me->leave_root && me->active_root == me->leave_root)
		paging_activate(paging_kernel_root());
	else
		write_cr3(read_cr3());
	__atomic_store_n(&me->flush_pending, false, __ATOMIC_RELEASE);
}
