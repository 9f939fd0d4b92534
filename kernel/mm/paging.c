/* Page-table construction and walking, see paging.h. */
#include "kernel/mm/paging.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/tlb_shootdown.h"
#include "kernel/panic.h"

extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
	__kernel_end[];

static uint64_t kernel_root;

static unsigned index_at(uintptr_t va, int level) { return (va >> (12 + 9 * level)) & 511; }

uint64_t *paging_walk(uint64_t root, uintptr_t va, bool create)
{
	uint64_t *table = phys_to_virt(root);
	for (int level = 3; level > 0; level--) {
		uint64_t *entry = &table[index_at(va, level)];
		if (!(*entry & PTE_PRESENT)) {
			if (!create)
				return NULL;
			uint64_t page = page_alloc(1);
			if (!page)
				return NULL;
			/* Permissions live in the leaves; inner levels allow all. */
			*entry = page | PTE_PRESENT | PTE_WRITE | (va < USER_TOP ? PTE_USER : 0);
		}
		if (*entry & PTE_HUGE)
			return entry;
		table = phys_to_virt(*entry & PTE_ADDR_MASK);
	}
	return &table[index_at(va, 0)];
}

uint64_t *paging_walk_run(uint64_t root, uintptr_t va, uintptr_t end, size_t *run)
{
	uint64_t *table = phys_to_virt(root);
	int level = 3;
	for (; level > 0; level--) {
		uint64_t entry = table[index_at(va, level)];
		if (!(entry & PTE_PRESENT) || (entry & PTE_HUGE))
			break; /* no huge pages in the user half */
		table = phys_to_virt(entry & PTE_ADDR_MASK);
	}
	/* An entry at level n covers 4 KiB << 9n; a whole leaf table 2 MiB. */
	uintptr_t span = (uintptr_t)PAGE_SIZE << (9 * (level > 0 ? level : 1));
	uintptr_t next = (va | (span - 1)) + 1;
	if (next > end || next < va)
		next = end;
	*run = (next - va) / PAGE_SIZE;
	return level == 0 ? &table[index_at(va, 0)] : NULL;
}

int paging_map(uint64_t root, uintptr_t va, uint64_t phys, uint64_t flags)
{
	uint64_t *pte = paging_walk(root, va, true);
	if (!pte)
		return -ENOMEM;
	*pte = (phys & PTE_ADDR_MASK) | flags | PTE_PRESENT;
	return 0;
}

void *paging_map_device(uint64_t phys, size_t size)
{
	uint64_t end = PAGE_ALIGN_UP(phys + size);
	/* Device memory shares the direct map's top-level slot, which user
	 * roots already hold: it must stay below the slot's 512 GiB. */
	if (size == 0 || end < phys || end > (1ull << 39))
		return NULL;
	for (uint64_t pa = PAGE_ALIGN_DOWN(phys); pa < end; pa += PAGE_SIZE) {
		uintptr_t va = PHYS_MAP_BASE + pa;
		uint64_t *pte = paging_walk(kernel_root, va, true);
		if (!pte || ((*pte & PTE_PRESENT) && !(*pte & PTE_CACHE_DISABLE))) /* a cached page here is RAM */
			return NULL;
		*pte = pa | PTE_PRESENT | PTE_WRITE | PTE_CACHE_DISABLE | PTE_GLOBAL | PTE_NX;
		invlpg(va);
	}
	return phys_to_virt(phys);
}

static void map_range(uint64_t root, uintptr_t va, uintptr_t va_end, uint64_t flags)
{
	for (; va < va_end; va += PAGE_SIZE)
		if (paging_map(root, va, virt_to_phys((void *)va), flags | PTE_GLOBAL))
			panic("out of memory while mapping the kernel");
}

/* The direct map's entry for the 2 MiB at va: its PD slot, the upper
 * tables made on the way. */
static uint64_t *direct_map_slot(uint64_t root, uintptr_t va)
{
	uint64_t *entry = &((uint64_t *)phys_to_virt(root))[index_at(va, 3)];
	for (int level = 3; level > 1; level--) {
		if (!(*entry & PTE_PRESENT)) {
			uint64_t page = page_alloc(1);
			if (!page)
				panic("out of memory while mapping physical memory");
			*entry = page | PTE_PRESENT | PTE_WRITE;
		}
		entry = &((uint64_t *)phys_to_virt(*entry & PTE_ADDR_MASK))[index_at(va, level - 1)];
	}
	return entry;
}

/* All RAM at PHYS_MAP_BASE, writable and never executable, in 2 MiB pages
 * except where the kernel image lies: there 4 KiB pages keep the alias of
 * its text and read-only data read-only, so that no mapping can rewrite
 * the code (README.md, "W^X in the kernel"). */
static void map_direct(uint64_t root)
{
	const uint64_t huge = 1u << 21, flags = PTE_PRESENT | PTE_GLOBAL | PTE_NX;
	uint64_t read_only_start = virt_to_phys(__text_start), read_only_end = virt_to_phys(__rodata_end);
	uint64_t limit = (page_phys_limit() + huge - 1) & ~(huge - 1);
	for (uint64_t pa = 0; pa < limit; pa += huge) {
		if (!page_range_has_ram(pa, pa + huge))
			continue; /* a hole: device windows get mapped there uncached */
		uint64_t *slot = direct_map_slot(root, PHYS_MAP_BASE + pa);
		if (pa + huge <= read_only_start || pa >= read_only_end) {
			*slot = pa | flags | PTE_WRITE | PTE_HUGE;
			continue;
		}
		uint64_t table = page_alloc(1);
		if (!table)
			panic("out of memory while mapping physical memory");
		uint64_t *entries = phys_to_virt(table);
		for (unsigned i = 0; i < 512; i++) {
			uint64_t page = pa + (uint64_t)i * PAGE_SIZE;
			bool read_only = page >= read_only_start && page < read_only_end;
			entries[i] = page | flags | (read_only ? 0 : PTE_WRITE);
		}
		*slot = table | PTE_PRESENT | PTE_WRITE;
	}
}

void paging_init(void)
{
	kernel_root = page_alloc(1);
	if (!kernel_root)
		panic("out of memory for the kernel page table");
	/* User roots copy the kernel half's top-level slots when they are
	 * made: the direct map and the image each get their slot here, and no
	 * kernel mapping may claim a new top-level slot after boot. */
	map_direct(kernel_root);
	map_range(kernel_root, (uintptr_t)__kernel_start, (uintptr_t)__text_start, PTE_WRITE | PTE_NX);
	map_range(kernel_root, (uintptr_t)__text_start, PAGE_ALIGN_UP((uintptr_t)__text_end), 0);
	map_range(kernel_root, (uintptr_t)__rodata_start, PAGE_ALIGN_UP((uintptr_t)__rodata_end), PTE_NX);
	map_range(kernel_root, (uintptr_t)__data_start, PAGE_ALIGN_UP((uintptr_t)__kernel_end), PTE_WRITE | PTE_NX);
	paging_activate(kernel_root);
}

uint64_t paging_kernel_root(void) { return kernel_root; }

uint64_t paging_new_root(void)
{
	uint64_t root = page_alloc(1);
	if (root)
		memcpy((uint64_t *)phys_to_virt(root) + 256, (uint64_t *)phys_to_virt(kernel_root) + 256,
		       256 * sizeof(uint64_t));
	return root;
}

static void free_table(uint64_t table, int level)
{
	uint64_t *entries = phys_to_virt(table);
	if (level > 1)
		for (int i = 0; i < 512; i++)
			if ((entries[i] & PTE_PRESENT) && !(entries[i] & PTE_HUGE))
				free_table(entries[i] & PTE_ADDR_MASK, level - 1);
	page_free(table, 1);
}

void paging_free_root(uint64_t root)
{
	tlb_leave_root(root); /* an idle CPU may still have it loaded */
	uint64_t *top = phys_to_virt(root);
	for (int i = 0; i < 256; i++)
		if (top[i] & PTE_PRESENT)
			free_table(top[i] & PTE_ADDR_MASK, 3);
	page_free(root, 1);
}

void paging_activate(uint64_t root)
{
	this_cpu()->active_root = root;
	write_cr3(root);
}
