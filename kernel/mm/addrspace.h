/* A user address space: its page-table root, its VMAs and its heap (brk).
 * Threads of one process share it, and so do processes made with CLONE_VM
 * (vfork): it lives until the last of them lets go. */
#ifndef SOLE_ADDRSPACE_H
#define SOLE_ADDRSPACE_H

#include "kernel/mm/vma.h"

struct addrspace {
	uint64_t root;
	struct vma_list vmas;
	uintptr_t brk_start, brk_end;
	struct inode *exe; /* the program exec loaded, held closed to writes (inode->executing) */
	/* where exec put the stack's top and the mmap area's top (kernel/mm/aslr.c) */
	uintptr_t stack_top, mmap_top;
	/* Where the next top-down search for free space starts: just below
	 * the last range it found, or 0 for the top (as_find_free). */
	uintptr_t free_area_top;
	int refs; /* processes using it */
	/* mlockall(MCL_FUTURE): VMA_LOCKED, and VMA_LOCKONFAULT with
	 * MCL_ONFAULT, for every area mapped from now on (Linux's def_flags). */
	uint32_t def_flags;
};

struct addrspace *addrspace_create(void);
/* fork's copy of parent: the same areas (less MADV_DONTFORK ones; empty
 * for MADV_WIPEONFORK ones) and brk. MAP_SHARED areas share their pages;
 * private ones share them read-only until the first write on either side
 * copies. NULL when out of memory. */
struct addrspace *addrspace_fork(struct addrspace *parent);
/* Another user (CLONE_VM), and letting go: the last put frees the areas
 * and tables. Either side of a fork may go first: pages live until their
 * last holder. */
struct addrspace *addrspace_get(struct addrspace *as);
void addrspace_put(struct addrspace *as);
void addrspace_activate(struct addrspace *as);

/* Maps [start, start+len) afresh (replacing what was there). file may be
 * NULL for anonymous memory. The area takes def_flags too. */
int as_map(struct addrspace *as, uintptr_t start, size_t len, uint32_t prot, uint32_t flags, struct inode *file,
           uint64_t file_offset, uint64_t file_bytes, const char *name);
int as_unmap(struct addrspace *as, uintptr_t start, size_t len);
/* Drops the pages of a range but keeps its areas: the next access refills
 * them (zeros, or the file's bytes). -ENOMEM if part is not mapped. */
int as_discard(struct addrspace *as, uintptr_t start, size_t len);
int as_protect(struct addrspace *as, uintptr_t start, size_t len, uint32_t prot);
/* Sets, then clears, VMA_* flags of the areas in [start, start+len)
 * (madvise's fork advice), splitting areas at the bounds. -EINVAL for
 * VMA_WIPEONFORK on memory that is not private anonymous, -ENOMEM when
 * part of the range is not mapped. */
int as_set_flags(struct addrspace *as, uintptr_t start, size_t len, uint32_t set, uint32_t clear);
/* mlock, munlock and mlockall's work: sets the areas' VMA_LOCK_MASK bits
 * in [start, start+len) to lock, splitting areas at the bounds and merging
 * neighbours that become alike, as Linux does. -ENOMEM when part of the
 * range is not mapped (nothing changes then). Pages are not brought in:
 * as_populate does that. */
int as_lock(struct addrspace *as, uintptr_t start, size_t len, uint32_t lock);
/* Bytes of locked areas within [start, end) (VmLck over the whole space). */
size_t as_locked_bytes(const struct addrspace *as, uintptr_t start, uintptr_t end);
/* mremap's work: resizes the area at [old, old+old_len), in place when it
 * can, else (with may_move) moves it and its pages to a free range, or to
 * fixed_to when that is not 0. Returns the new start or -errno. */
long as_remap(struct addrspace *as, uintptr_t old, size_t old_len, size_t new_len, bool may_move, uintptr_t fixed_to);
/* Whether the page under addr is in memory (mincore): mapped in the page
 * table, or for a file's area, in the file's pages (Linux's page cache). */
bool as_resident(struct addrspace *as, uintptr_t addr);
/* 0 when [start, start+len) is mapped throughout, else -ENOMEM. */
int as_check_mapped(struct addrspace *as, uintptr_t start, size_t len);
/* msync: the shared file mappings in the range write their pages back
 * where the file keeps them (a volume's host). -ENOMEM for a gap; -EBUSY
 * when invalidate (MS_INVALIDATE) meets a locked area. */
int as_sync(struct addrspace *as, uintptr_t start, size_t len, bool invalidate);
/* A free range of len bytes for mmap, top-down below the mmap area's top.
 * -ENOMEM when none is left, or past Linux's vm.max_map_count areas. */
int as_find_free(struct addrspace *as, size_t len, uintptr_t *start);
/* as runs file as its program from now on (the loader, once it is mapped). */
void addrspace_hold_exe(struct addrspace *as, struct inode *file);
/* Fills the page under addr on a fault. 0, -EFAULT (no area, or a file
 * page past the file's end), -EACCES (protection) or -ENOMEM. */
int as_fault(struct addrspace *as, uintptr_t addr, bool write, bool exec);
/* Whether the page tables already allow this access: a fault the app took
 * on another CPU while this one was mapping the page (or widening its
 * protection) is over before it is served. */
bool as_fault_already_served(struct addrspace *as, uintptr_t addr, bool write, bool exec);
/* Whether addr is in a file mapping's page that lies wholly past the end
 * of the file: touching it is SIGBUS (BUS_ADRERR) on Linux. */
bool as_past_end_of_file(struct addrspace *as, uintptr_t addr);
/* Brings in the pages of [start, start+len) as a read would, skipping
 * PROT_NONE areas (MAP_POPULATE, mlock): 0, -ENOMEM for a gap or no
 * memory, or -EFAULT at a page past a file's end. */
int as_populate(struct addrspace *as, uintptr_t start, size_t len);
/* What the areas take, leaving out [skip_start, skip_end) (a range about
 * to be replaced): all of them, against RLIMIT_AS, and the private
 * writable ones but the stack, against RLIMIT_DATA (Linux's data_vm). */
struct as_usage {
	size_t total, data;
};
struct as_usage as_usage(const struct addrspace *as, uintptr_t skip_start, uintptr_t skip_end);
/* The pages area v maps (/proc/PID/smaps), in bytes: resident, shared
 * with another mapping (since a fork), the file's own (borrowed) and the
 * proportional share (each page divided among its holders). */
struct area_pages {
	size_t resident, shared, borrowed, proportional;
};
struct area_pages as_area_pages(struct addrspace *as, const struct vma *v);
/* The physical page under addr of as, brought in as the app's read (or
 * write) would: for a write, made the area's own and writable first (a
 * copy-on-write page is copied). 0 where the app may not do that. */
uint64_t as_page(struct addrspace *as, uintptr_t addr, bool write);
/* The physical pages under the count pages from page-aligned addr of as,
 * into phys, when every one is present (and writable, for write): true;
 * false at the first that is not (as_page brings it in). */
bool as_present_pages(struct addrspace *as, uintptr_t addr, size_t count, bool write, uint64_t *phys);
/* Reads len bytes at addr of as, which need not be the current address
 * space (/proc/PID/cmdline), bringing pages in as a read would: 0 or
 * -EFAULT. */
int as_read(struct addrspace *as, uintptr_t addr, void *buf, size_t len);
/* The same for a write (process_vm_writev): a copy-on-write page is copied
 * first, and a page the area does not let the app write gives -EFAULT. */
int as_write(struct addrspace *as, uintptr_t addr, const void *buf, size_t len);

#endif
