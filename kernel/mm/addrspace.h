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
	int refs; /* processes using it */
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
 * NULL for anonymous memory. */
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
/* mremap's work: resizes the area at [old, old+old_len), in place when it
 * can, else (with may_move) moves it and its pages to a free range, or to
 * fixed_to when that is not 0. Returns the new start or -errno. */
long as_remap(struct addrspace *as, uintptr_t old, size_t old_len, size_t new_len, bool may_move, uintptr_t fixed_to);
/* Whether the page under addr is in memory (mincore). */
bool as_resident(struct addrspace *as, uintptr_t addr);
/* 0 when [start, start+len) is mapped throughout, else -ENOMEM. */
int as_check_mapped(struct addrspace *as, uintptr_t start, size_t len);
/* msync: the shared file mappings in the range write their pages back
 * where the file keeps them (a volume's host). -ENOMEM for a gap. */
int as_sync(struct addrspace *as, uintptr_t start, size_t len);
/* A free range of len bytes for mmap, top-down below USER_MMAP_TOP. */
int as_find_free(struct addrspace *as, size_t len, uintptr_t *start);
/* Fills the page under addr on a fault. 0, -EFAULT (no area), -EACCES
 * (protection) or -ENOMEM. */
int as_fault(struct addrspace *as, uintptr_t addr, bool write, bool exec);
int as_populate(struct addrspace *as, uintptr_t start, size_t len);
/* What the areas take, leaving out [skip_start, skip_end) (a range about
 * to be replaced): all of them, against RLIMIT_AS, and the private
 * writable ones but the stack, against RLIMIT_DATA (Linux's data_vm). */
struct as_usage {
	size_t total, data;
};
struct as_usage as_usage(const struct addrspace *as, uintptr_t skip_start, uintptr_t skip_end);
/* Reads len bytes at addr of as, which need not be the current address
 * space (/proc/PID/cmdline), bringing pages in as a read would: 0 or
 * -EFAULT. */
int as_read(struct addrspace *as, uintptr_t addr, void *buf, size_t len);
/* The same for a write (process_vm_writev): a copy-on-write page is copied
 * first, and a page the area does not let the app write gives -EFAULT. */
int as_write(struct addrspace *as, uintptr_t addr, const void *buf, size_t len);

#endif
