/* Physical pages for the kernel: allocation by page count, reached through
 * the direct map. */
#ifndef SOLE_PAGE_H
#define SOLE_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pvh_start_info;

/* Feeds the allocator from the PVH memory map, keeping out the kernel
 * image, the boot data and the initrd. */
void page_init(const struct pvh_start_info *info, uint64_t initrd_start, uint64_t initrd_end);
/* Returns the physical address of count contiguous zeroed pages, or 0.
 * Each page starts with one reference. */
uint64_t page_alloc(size_t count);
void page_free(uint64_t phys, size_t count);
/* Reference counts of single pages that user mappings own: fork shares a
 * page between address spaces, and the last unref frees it. Only pages
 * from page_alloc have a count (file and initrd pages mapped as
 * PTE_BORROWED are never counted). */
void page_ref(uint64_t phys);
void page_unref(uint64_t phys);
uint32_t page_refcount(uint64_t phys);
size_t page_free_count(void);
size_t page_total_count(void);
uint64_t page_phys_limit(void);
/* Whether the boot memory map has RAM anywhere in [start, end): the direct
 * map leaves the holes (device windows such as the local APIC's) out. */
bool page_range_has_ram(uint64_t start, uint64_t end);

#endif
