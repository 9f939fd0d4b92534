/* Virtual memory areas of an address space: a sorted list of
 * non-overlapping [start, end) ranges with their protection and backing.
 * Pure data structure: unit-tested on the host. */
#ifndef SOLE_VMA_H
#define SOLE_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMA_READ 0x1 /* same values as PROT_* */
#define VMA_WRITE 0x2
#define VMA_EXEC 0x4

#define VMA_STACK 0x100
#define VMA_HEAP 0x200
/* MAP_SHARED: writes reach the file, and fork shares the pages. Such an
 * area always has a file (shared anonymous memory is an unnamed one), so
 * its data outlives the page-table entries that MADV_DONTNEED and
 * PROT_NONE drop. */
#define VMA_SHARED 0x400
#define VMA_DONTFORK 0x800    /* MADV_DONTFORK: a forked child has no such area */
#define VMA_WIPEONFORK 0x1000 /* MADV_WIPEONFORK: a forked child's copy starts empty (zeros) */
/* A MAP_SHARED area that may write, now or after mprotect: its file was
 * open for writing and not write-sealed (Linux's VM_MAYWRITE). */
#define VMA_MAYWRITE 0x2000
/* mlock: the area counts in VmLck, and its pages are brought in at once,
 * or with VMA_LOCKONFAULT (MLOCK_ONFAULT) as they are touched. Never
 * swapped out either way: sole has no swap. A forked child's areas are
 * not locked. */
#define VMA_LOCKED 0x4000
#define VMA_LOCKONFAULT 0x8000
#define VMA_LOCK_MASK (VMA_LOCKED | VMA_LOCKONFAULT)
/* MAP_GROWSDOWN: a fault in the gap below the area grows it down, as long
 * as STACK_GUARD_GAP stays free above the area below it. */
#define VMA_GROWSDOWN 0x10000
#define STACK_GUARD_GAP (256ul * 4096) /* Linux's stack_guard_gap */

struct inode;

struct vma {
	uintptr_t start, end;
	uint32_t prot;
	uint32_t flags;
	/* File backing: bytes [0, file_bytes) of the area come from the file at
	 * file_offset; the rest of the area reads as zeros. */
	struct inode *file;
	uint64_t file_offset;
	uint64_t file_bytes;
	const char *name; /* for crash records and /proc/self/maps */
	struct vma *prev, *next;
};

struct vma_list {
	struct vma *head;
	size_t count;
	/* The area the last lookup ended at: lookups come near one another
	 * (a fault after a fault), so it and its neighbours answer most of
	 * them without a walk from the head (Linux's vmacache). NULL: none.
	 * A cache, so lookups through a const list may still set it. */
	struct vma *last_found;
};

struct vma *vma_find(const struct vma_list *list, uintptr_t addr);
/* The first area that ends above start and starts below end, or NULL. */
struct vma *vma_first_overlap(const struct vma_list *list, uintptr_t start, uintptr_t end);
/* Links a new area in; it must not overlap any other. */
void vma_insert(struct vma_list *list, struct vma *vma);
void vma_unlink(struct vma_list *list, struct vma *vma);
/* Cuts vma at addr (page-aligned, strictly inside). The upper part goes in
 * spare, which is linked in after vma and returned. */
struct vma *vma_split(struct vma_list *list, struct vma *vma, uintptr_t addr, struct vma *spare);
/* Absorbs vma->next into vma when it continues vma (same protection,
 * flags, backing and name, and for a file the next bytes) and returns it,
 * unlinked, for the caller to let go of; else NULL. */
struct vma *vma_merge_next(struct vma_list *list, struct vma *vma);
/* The highest free gap of size bytes that lies within [floor, ceiling). */
bool vma_find_gap_below(const struct vma_list *list, size_t size, uintptr_t floor, uintptr_t ceiling,
			uintptr_t *start);

#endif
