/* The kernel's page allocator instance, fed by the PVH memory map. */
#include "kernel/mm/page.h"

#include <string.h>

#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/tlb_shootdown.h"
#include "kernel/panic.h"
#include "platforms/qemu/pvh.h"

extern char __kernel_start[], __kernel_end[];

static struct page_bitmap pages;
static size_t total_pages;
static uint64_t phys_limit;
static const struct pvh_memmap_entry *memory_map;
static uint32_t memory_map_entries;

static void claim_bytes(uint64_t start, uint64_t end)
{
	if (end > start)
		pmm_claim(&pages, start / PAGE_SIZE, PAGE_ALIGN_UP(end) / PAGE_SIZE - start / PAGE_SIZE);
}

void page_init(const struct pvh_start_info *info, uint64_t initrd_start, uint64_t initrd_end)
{
	const struct pvh_memmap_entry *map = phys_to_virt(info->memmap_paddr);
	if (info->version < 1 || info->memmap_entries == 0)
		panic("the boot loader gave no memory map (PVH start_info version %u)", info->version);
	memory_map = map; /* in the first MiB, which stays claimed */
	memory_map_entries = info->memmap_entries;

	for (uint32_t i = 0; i < info->memmap_entries; i++)
		if (map[i].type == PVH_MEMMAP_RAM && map[i].addr + map[i].size > phys_limit)
			phys_limit = map[i].addr + map[i].size;
	/* Until paging_init maps all of it, only the boot map's first 4 GiB
	 * are reachable: the bitmap below goes right above the kernel, and
	 * pages are handed out lowest first, so the tables paging_init makes
	 * come from there too. */
	size_t npages = phys_limit / PAGE_SIZE;

	/* The bitmap and then the reference counts go in the first RAM above
	 * the kernel and initrd: 1 GiB's 262,144 pages take 32 KiB of bitmap
	 * and 1 MiB of counts; -m 2M takes 64 bytes and 2 KiB. */
	uint64_t kernel_end = virt_to_phys(__kernel_end);
	uint64_t refs_offset = pmm_storage_words(npages) * sizeof(uint64_t);
	uint64_t bitmap_bytes = refs_offset + npages * sizeof(uint32_t);
	uint64_t bitmap_at = PAGE_ALIGN_UP(kernel_end);
	if (bitmap_at < initrd_end && bitmap_at + bitmap_bytes > initrd_start)
		bitmap_at = PAGE_ALIGN_UP(initrd_end);
	if (bitmap_at + bitmap_bytes > phys_limit)
		panic("not enough memory for the page bitmap");
	pmm_init(&pages, phys_to_virt(bitmap_at), npages);
	pmm_init_refs(&pages, phys_to_virt(bitmap_at + refs_offset));

	for (uint32_t i = 0; i < info->memmap_entries; i++) {
		if (map[i].type != PVH_MEMMAP_RAM)
			continue;
		uint64_t start = PAGE_ALIGN_UP(map[i].addr);
		uint64_t end = PAGE_ALIGN_DOWN(map[i].addr + map[i].size);
		if (end > phys_limit)
			end = phys_limit;
		if (end > start)
			pmm_release(&pages, start / PAGE_SIZE, (end - start) / PAGE_SIZE);
	}
	claim_bytes(0, 0x100000); /* real-mode area, firmware tables, start_info */
	claim_bytes(virt_to_phys(__kernel_start), kernel_end);
	claim_bytes(initrd_start, initrd_end);
	claim_bytes(bitmap_at, bitmap_at + bitmap_bytes);
	total_pages = pages.nfree;
}

uint64_t page_alloc(size_t count)
{
	size_t first;
	if (!pmm_alloc(&pages, count, &first)) {
		tlb_shootdown_finish(); /* unmapped pages that wait for other CPUs' flushes */
		if (!pmm_alloc(&pages, count, &first))
			return 0;
	}
	uint64_t phys = (uint64_t)first * PAGE_SIZE;
	memset(phys_to_virt(phys), 0, count * PAGE_SIZE);
	return phys;
}

void page_free(uint64_t phys, size_t count) { pmm_release(&pages, phys / PAGE_SIZE, count); }

/* A count of 0 here means a free page or one the allocator never gave:
 * a kernel bug that would free someone else's memory later. */
static size_t counted_page(uint64_t phys, const char *what)
{
	size_t page = phys / PAGE_SIZE;
	if (pmm_refcount(&pages, page) == 0)
		panic("%s of page 0x%lx, which has no references", what, (unsigned long)phys);
	return page;
}

void page_ref(uint64_t phys) { pmm_ref(&pages, counted_page(phys, "page_ref")); }
void page_unref(uint64_t phys) { pmm_unref(&pages, counted_page(phys, "page_unref")); }
uint32_t page_refcount(uint64_t phys) { return pmm_refcount(&pages, phys / PAGE_SIZE); }
size_t page_free_count(void) { return pages.nfree; }
size_t page_total_count(void) { return total_pages; }
uint64_t page_phys_limit(void) { return phys_limit; }

bool page_range_has_ram(uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < memory_map_entries; i++)
		if (memory_map[i].type == PVH_MEMMAP_RAM && memory_map[i].addr < end &&
		    memory_map[i].addr + memory_map[i].size > start)
			return true;
	return false;
}
