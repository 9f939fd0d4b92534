/* 4-level page tables: the kernel's own, and the walk/map/unmap operations
 * that user address spaces are built from. */
#ifndef SOLE_PAGING_H
#define SOLE_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_CACHE_DISABLE (1ull << 4)
#define PTE_HUGE (1ull << 7)
#define PTE_GLOBAL (1ull << 8)
#define PTE_BORROWED (1ull << 9) /* available bit: the page belongs to a file, not to the mapping */
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Builds the final kernel mappings (direct map of all RAM, the image with
 * per-section permissions) and switches to them. */
void paging_init(void);
uint64_t paging_kernel_root(void);

/* A fresh top-level table sharing the kernel half. Returns its physical
 * address, or 0 when out of memory. */
uint64_t paging_new_root(void);
/* Frees the user half's tables (not the pages they map). */
void paging_free_root(uint64_t root);

/* The leaf entry for va, creating the intermediate tables when create is
 * set. NULL when absent (or out of memory). */
uint64_t *paging_walk(uint64_t root, uintptr_t va, bool create);
/* For walking a range table by table: the leaf entry of va, with in *run
 * the pages from va on (up to end) whose entries follow it in the same
 * table. When a table on the way is absent, returns NULL with *run the
 * pages up to the end of the hole (or end), so that empty upper tables are
 * skipped whole. */
uint64_t *paging_walk_run(uint64_t root, uintptr_t va, uintptr_t end, size_t *run);
int paging_map(uint64_t root, uintptr_t va, uint64_t phys, uint64_t flags);
/* Maps size bytes of device registers at phys, uncached, into the kernel
 * half (at PHYS_MAP_BASE + phys, beside the direct map of RAM). Returns
 * their kernel address, or NULL when out of memory or when phys is RAM. */
void *paging_map_device(uint64_t phys, size_t size);
void paging_activate(uint64_t root);

#endif
