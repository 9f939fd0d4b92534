/* The kernel's W^X self-check, see wx_check.h. A page's effective
 * permission combines all four levels: it can be written only if every
 * entry on the way sets RW, and run only if none sets NX (EFER.NXE is on,
 * CR0.WP makes RW bind the kernel too). So a subtree under a read-only
 * entry is skipped whole, and a 2 MiB or 1 GiB page counts once: the walk
 * reads a few thousand entries, not every page. */
#include "kernel/mm/wx_check.h"

#include <stdbool.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/paging.h"
#include "kernel/panic.h"
#include "kernel/time.h"

extern char __text_start[], __text_end[], __data_start[];

#define KERNEL_HALF_BASE 0xffff000000000000ull /* the sign extension of the upper 256 top-level slots */

struct wx_walk {
	uint64_t text_start, text_end; /* physical: every alias of the text is caught */
	size_t entries;                /* present entries read */
};

static void check_leaf(const struct wx_walk *walk, uintptr_t va, uint64_t entry, int level, bool executable)
{
	uint64_t size = (uint64_t)PAGE_SIZE << (9 * level);
	uint64_t pa = entry & PTE_ADDR_MASK & ~(size - 1);
	if (executable)
		panic("W^X: the kernel page at 0x%lx (%lu KiB, physical 0x%lx) is writable and executable", va,
		      size >> 10, pa);
	if (pa < walk->text_end && pa + size > walk->text_start)
		panic("W^X: the kernel's text (physical 0x%lx-0x%lx) is writable at 0x%lx", walk->text_start,
		      walk->text_end, va);
}

/* Every entry of the table at level (3 = top) maps base + i << (12 + 9 *
 * level); the entries above it allow writing, and running if executable. */
static void walk_table(struct wx_walk *walk, uint64_t table, int level, uintptr_t base, bool executable)
{
	const uint64_t *entries = phys_to_virt(table);
	for (unsigned i = level == 3 ? 256 : 0; i < 512; i++) {
		uint64_t entry = entries[i];
		if (!(entry & PTE_PRESENT))
			continue;
		walk->entries++;
		if (!(entry & PTE_WRITE))
			continue; /* nothing below can be written */
		uintptr_t va = base + ((uintptr_t)i << (12 + 9 * level));
		bool runs = executable && !(entry & PTE_NX);
		/* Bit 7 is PAT in a 4 KiB entry, a large page above. */
		if (level == 0 || (entry & PTE_HUGE))
			check_leaf(walk, va, entry, level, runs);
		else
			walk_table(walk, entry & PTE_ADDR_MASK, level - 1, va, runs);
	}
}

void wx_check(void)
{
	uint64_t start = rdtsc();
	struct wx_walk walk = {virt_to_phys(__text_start), virt_to_phys(__text_end), 0};
	walk_table(&walk, paging_kernel_root(), 3, KERNEL_HALF_BASE, true);
	klog("W^X: %zu kernel page-table entries checked in %llu us: none writable and executable, the text "
	     "read-only",
	     walk.entries, (unsigned long long)((rdtsc() - start) * 1000000 / time_tsc_hz()));
}

void wx_check_break_on_purpose(void)
{
	uint64_t *pte = paging_walk(paging_kernel_root(), (uintptr_t)__data_start, false);
	*pte &= ~PTE_NX;
	invlpg((uintptr_t)__data_start);
}
