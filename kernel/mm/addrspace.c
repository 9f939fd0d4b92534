/* User address spaces: VMAs kept in step with the page tables. Pages are
 * filled lazily by as_fault (demand paging). A page a mapping owns has a
 * reference count: fork shares the pages of private areas read-only
 * between parent and child, and the first write copies (copy-on-write). */
#include "kernel/mm/addrspace.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/tlb_shootdown.h"

struct addrspace *addrspace_create(void)
{
	struct addrspace *as = kzalloc(sizeof *as);
	if (!as)
		return NULL;
	as->root = paging_new_root();
	if (!as->root) {
		kfree(as);
		return NULL;
	}
	as->refs = 1;
	as->stack_top = USER_STACK_TOP;
	as->mmap_top = USER_MMAP_TOP;
	return as;
}

struct addrspace *addrspace_get(struct addrspace *as)
{
	as->refs++;
	return as;
}

void addrspace_hold_exe(struct addrspace *as, struct inode *file)
{
	inode_get(file);
	file->executing++;
	as->exe = file;
}

void addrspace_put(struct addrspace *as)
{
	if (--as->refs > 0)
		return;
	if (as->exe) {
		as->exe->executing--;
		inode_put(as->exe);
	}
	while (as->vmas.head)
		as_unmap(as, as->vmas.head->start, as->vmas.head->end - as->vmas.head->start);
	paging_free_root(as->root);
	kfree(as);
}

void addrspace_activate(struct addrspace *as) { paging_activate(as->root); }

static uint64_t pte_flags(uint32_t prot)
{
	uint64_t flags = PTE_USER | PTE_PRESENT;
	if (prot & VMA_WRITE)
		flags |= PTE_WRITE;
	if (!(prot & VMA_EXEC))
		flags |= PTE_NX;
	return flags;
}

/* An area holds its file: a reference, and counts of shared mappings and
 * of those that may write. */
static void hold_file(struct vma *v)
{
	if (!v->file)
		return;
	inode_get(v->file);
	if (v->flags & VMA_SHARED)
		v->file->shared_mappings++;
	if ((v->flags & VMA_SHARED) && (v->flags & VMA_MAYWRITE))
		v->file->writable_mappings++;
}

static void release_file(struct vma *v)
{
	if (!v->file)
		return;
	if ((v->flags & VMA_SHARED) && (v->flags & VMA_MAYWRITE))
		v->file->writable_mappings--;
	if (v->flags & VMA_SHARED) {
		v->file->shared_mappings--;
		inode_write_back(v->file); /* a volume's file: to the host (errors have no one to go to) */
	}
	inode_put(v->file);
}

/* The leaf flags for a page of area v whose entry is (or is to be) pte. A
 * private area writes only to a page it alone owns: borrowed pages and
 * pages shared since a fork stay read-only until a write fault copies. */
static uint64_t leaf_flags(struct vma *v, uint64_t pte)
{
	uint64_t flags = pte_flags(v->prot) | (pte & PTE_BORROWED);
	if (!(v->flags & VMA_SHARED) && ((pte & PTE_BORROWED) || page_refcount(pte & PTE_ADDR_MASK) > 1))
		flags &= ~PTE_WRITE;
	return flags;
}

static bool is_current(struct addrspace *as) { return read_cr3() == as->root; }

/* Clears a present entry and drops the mapping's reference to its page. */
static void drop_page(struct addrspace *as, uint64_t *pte, uintptr_t va)
{
	uint64_t old = *pte;
	*pte = 0;
	if (is_current(as))
		invlpg(va);
	if (old & PTE_BORROWED)
		tlb_shootdown_later(as->root);
	else
		tlb_release_page_later(as->root, old & PTE_ADDR_MASK);
}

/* Drops the pages of [start, end), which lies inside one area. */
static void unmap_pages(struct addrspace *as, uintptr_t start, uintptr_t end)
{
	size_t run;
	for (uintptr_t va = start; va < end; va += run * PAGE_SIZE) {
		uint64_t *pte = paging_walk_run(as->root, va, end, &run);
		for (size_t i = 0; pte && i < run; i++)
			if (pte[i] & PTE_PRESENT)
				drop_page(as, &pte[i], va + i * PAGE_SIZE);
	}
}

/* Merges the areas that continue one another from the one holding start
 * (or the one before it) up to end. A merged-away area lets go of its
 * file; its pages stay, mapped now by the area that took them over. */
static void merge_around(struct addrspace *as, uintptr_t start, uintptr_t end)
{
	struct vma *v = vma_first_overlap(&as->vmas, start, end);
	if (v && v->prev && v->prev->end == v->start)
		v = v->prev;
	while (v && v->start <= end) {
		struct vma *gone = vma_merge_next(&as->vmas, v);
		if (!gone) {
			v = v->next;
			continue;
		}
		release_file(gone);
		kfree(gone);
	}
}

/* Splits areas so that start and end fall on area boundaries. */
static int split_at_bounds(struct addrspace *as, uintptr_t start, uintptr_t end)
{
	uintptr_t cuts[2] = {start, end};
	for (int i = 0; i < 2; i++) {
		struct vma *v = vma_find(&as->vmas, cuts[i]);
		if (!v || v->start == cuts[i])
			continue;
		struct vma *spare = kmalloc(sizeof *spare);
		if (!spare)
			return -ENOMEM;
		vma_split(&as->vmas, v, cuts[i], spare);
		hold_file(spare);
	}
	return 0;
}

#define MAX_MAP_COUNT 65530 /* Linux's vm.max_map_count */

static bool range_ok(uintptr_t start, size_t len)
{
	return !(start & (PAGE_SIZE - 1)) && len && start + len > start && start + len <= USER_TOP;
}

int as_unmap(struct addrspace *as, uintptr_t start, size_t len)
{
	len = PAGE_ALIGN_UP(len);
	if (!range_ok(start, len))
		return -EINVAL;
	uintptr_t end = start + len;
	int err = split_at_bounds(as, start, end);
	if (err)
		return err;
	struct vma *v;
	while ((v = vma_first_overlap(&as->vmas, start, end))) {
		as->free_area_top = 0; /* the range may lie above: search from the top again */
		unmap_pages(as, v->start, v->end);
		vma_unlink(&as->vmas, v);
		release_file(v);
		kfree(v);
	}
	return 0;
}

int as_map(struct addrspace *as, uintptr_t start, size_t len, uint32_t prot, uint32_t flags, struct inode *file,
           uint64_t file_offset, uint64_t file_bytes, const char *name)
{
	len = PAGE_ALIGN_UP(len);
	if (!range_ok(start, len))
		return -EINVAL;
	int err = as_unmap(as, start, len);
	if (err)
		return err;
	struct vma *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	v->start = start;
	v->end = start + len;
	v->prot = prot;
	v->flags = flags | as->def_flags;
	v->file = file;
	v->file_offset = file_offset;
	v->file_bytes = file ? file_bytes : 0;
	v->name = name;
	hold_file(v);
	vma_insert(&as->vmas, v);
	/* One area for mappings that continue one another, as Linux's
	 * vma_merge: an app that reserves its address space piece by piece
	 * (every free range as PROT_NONE) must not leave one area per call
	 * for every later mapping to walk past. */
	merge_around(as, start, start + len);
	return 0;
}

int as_discard(struct addrspace *as, uintptr_t start, size_t len)
{
	len = PAGE_ALIGN_UP(len);
	if (!range_ok(start, len))
		return len ? -EINVAL : 0;
	uintptr_t end = start + len;
	int result = 0;
	uintptr_t at = start;
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next) {
		if (v->start > at)
			result = -ENOMEM;
		uintptr_t from = v->start > start ? v->start : start;
		uintptr_t to = v->end < end ? v->end : end;
		unmap_pages(as, from, to);
		at = to;
	}
	return at < end ? -ENOMEM : result;
}

int as_protect(struct addrspace *as, uintptr_t start, size_t len, uint32_t prot)
{
	len = PAGE_ALIGN_UP(len);
	if (!range_ok(start, len))
		return -EINVAL;
	uintptr_t end = start + len;
	/* Linux fails with ENOMEM when part of the range is not mapped. */
	int err = as_check_mapped(as, start, len);
	/* A shared area of a file it may not write stays unwritable. */
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); !err && v && v->start < end; v = v->next)
		if ((prot & VMA_WRITE) && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			err = -EACCES;
	if (!err)
		err = split_at_bounds(as, start, end);
	if (err)
		return err;
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next) {
		v->prot = prot;
		size_t run;
		for (uintptr_t va = v->start; va < v->end; va += run * PAGE_SIZE) {
			uint64_t *pte = paging_walk_run(as->root, va, v->end, &run);
			for (size_t i = 0; pte && i < run; i++) {
				if (!(pte[i] & PTE_PRESENT))
					continue;
				if (prot == 0) {
					drop_page(as, &pte[i], va + i * PAGE_SIZE); /* refilled from the backing */
					continue;
				}
				pte[i] = (pte[i] & PTE_ADDR_MASK) | leaf_flags(v, pte[i]);
				if (is_current(as))
					invlpg(va + i * PAGE_SIZE);
				tlb_shootdown_later(as->root);
			}
		}
	}
	return 0;
}

int as_set_flags(struct addrspace *as, uintptr_t start, size_t len, uint32_t set, uint32_t clear)
{
	len = PAGE_ALIGN_UP(len);
	if (!range_ok(start, len))
		return len ? -EINVAL : 0;
	uintptr_t end = start + len;
	if (!vma_first_overlap(&as->vmas, start, end))
		return -ENOMEM;
	/* Linux wipes on fork only private anonymous memory. */
	if (set & VMA_WIPEONFORK)
		for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next)
			if (v->file || (v->flags & VMA_SHARED))
				return -EINVAL;
	int err = split_at_bounds(as, start, end);
	if (err)
		return err;
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next)
		v->flags = (v->flags | set) & ~clear;
	/* Like madvise, the mapped parts take the flags even when a hole
	 * makes the call fail. */
	return as_check_mapped(as, start, len);
}

int as_lock(struct addrspace *as, uintptr_t start, size_t len, uint32_t lock)
{
	uintptr_t end = start + len;
	int err = as_check_mapped(as, start, len);
	if (!err)
		err = split_at_bounds(as, start, end);
	if (err)
		return err;
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next)
		v->flags = (v->flags & ~(uint32_t)VMA_LOCK_MASK) | lock;
	merge_around(as, start, end);
	return 0;
}

size_t as_locked_bytes(const struct addrspace *as, uintptr_t start, uintptr_t end)
{
	size_t bytes = 0;
	for (const struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next)
		if (v->flags & VMA_LOCKED)
			bytes += (v->end < end ? v->end : end) - (v->start > start ? v->start : start);
	return bytes;
}

int as_sync(struct addrspace *as, uintptr_t start, size_t len, bool invalidate)
{
	int err = as_check_mapped(as, start, len);
	uintptr_t end = start + PAGE_ALIGN_UP(len);
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); !err && v && v->start < end; v = v->next)
		if (invalidate && (v->flags & VMA_LOCKED))
			err = -EBUSY; /* its pages cannot be dropped */
		else if (v->file && (v->flags & VMA_SHARED))
			err = inode_write_back(v->file);
	return err;
}

int as_check_mapped(struct addrspace *as, uintptr_t start, size_t len)
{
	for (uintptr_t at = start, end = start + PAGE_ALIGN_UP(len); at < end;) {
		struct vma *v = vma_find(&as->vmas, at);
		if (!v)
			return -ENOMEM;
		at = v->end;
	}
	return 0;
}

static bool page_present(struct addrspace *as, uintptr_t va)
{
	uint64_t *pte = paging_walk(as->root, va, false);
	return pte && (*pte & PTE_PRESENT);
}

bool as_resident(struct addrspace *as, uintptr_t addr)
{
	uintptr_t va = PAGE_ALIGN_DOWN(addr);
	if (page_present(as, va))
		return true;
	struct vma *v = vma_find(&as->vmas, va);
	return v && v->file && va - v->start < v->file_bytes &&
	       inode_page_cached(v->file, v->file_offset + (va - v->start));
}

/* Moves the pages of [from, from+len) to [to, to+len); the target has no
 * pages yet. */
static int move_pages(struct addrspace *as, uintptr_t from, uintptr_t to, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *old = paging_walk(as->root, from + off, false);
		if (!old || !(*old & PTE_PRESENT))
			continue;
		uint64_t *new = paging_walk(as->root, to + off, true);
		if (!new)
			return -ENOMEM;
		*new = *old;
		*old = 0;
		if (is_current(as))
			invlpg(from + off);
		tlb_shootdown_later(as->root);
	}
	return 0;
}

long as_remap(struct addrspace *as, uintptr_t old, size_t old_len, size_t new_len, bool may_move, uintptr_t fixed_to)
{
	old_len = PAGE_ALIGN_UP(old_len);
	new_len = PAGE_ALIGN_UP(new_len);
	struct vma *v = vma_find(&as->vmas, old);
	if (!v || old + old_len > v->end)
		return -EFAULT;
	if (!fixed_to && new_len <= old_len) {
		if (new_len < old_len)
			as_unmap(as, old + new_len, old_len - new_len);
		return (long)old;
	}
	if (!fixed_to && old + old_len == v->end && !vma_first_overlap(&as->vmas, v->end, old + new_len) &&
	    old + new_len <= USER_TOP) {
		v->end = old + new_len; /* grow in place */
		return (long)old;
	}
	if (!may_move)
		return -ENOMEM;
	uintptr_t to = fixed_to;
	int err = 0;
	if (to) {
		if (to < old + old_len && old < to + new_len)
			return -EINVAL; /* the ranges overlap */
		err = as_unmap(as, to, new_len);
	} else {
		err = as_find_free(as, new_len, &to);
	}
	if (!err)
		err = split_at_bounds(as, old, old + old_len);
	if (err)
		return err;
	v = vma_find(&as->vmas, old);
	err = as_map(as, to, new_len, v->prot, v->flags, v->file, v->file_offset, v->file_bytes, v->name);
	size_t moving = old_len < new_len ? old_len : new_len;
	if (!err)
		err = move_pages(as, old, to, moving);
	if (err)
		return err;
	as_unmap(as, old, old_len);
	return (long)to;
}

/* As Linux's free_area_cache (before 3.10): a search starts below the range
 * the last one found, so that mmap after mmap does not walk every area above
 * (65,000 mappings took 3 minutes); an unmap sends it back to the top, and
 * so does a search that finds nothing lower. */
int as_find_free(struct addrspace *as, size_t len, uintptr_t *start)
{
	if (as->vmas.count > MAX_MAP_COUNT)
		return -ENOMEM;
	uintptr_t floor = as->brk_end > USER_MIN_ADDR ? as->brk_end : USER_MIN_ADDR;
	uintptr_t top = as->free_area_top ? as->free_area_top : as->mmap_top;
	bool found = vma_find_gap_below(&as->vmas, PAGE_ALIGN_UP(len), floor, top, start);
	if (!found && top != as->mmap_top)
		found = vma_find_gap_below(&as->vmas, PAGE_ALIGN_UP(len), floor, as->mmap_top, start);
	if (!found)
		return -ENOMEM;
	as->free_area_top = *start;
	return 0;
}

static int fill_page(struct vma *v, uintptr_t va, void *page)
{
	uint64_t into = va - v->start;
	if (!v->file || into >= v->file_bytes)
		return 0;
	inode_cache_page(v->file, v->file_offset + into);
	size_t n = v->file_bytes - into < PAGE_SIZE ? v->file_bytes - into : PAGE_SIZE;
	long got = inode_read(v->file, v->file_offset + into, page, n);
	return got < 0 ? (int)got : 0; /* past the file's end reads as zeros */
}

/* A page the area can map without a copy, or 0: a shared file mapping maps
 * the file's own page; a private one reads initrd pages in place until the
 * first write. Such pages are marked PTE_BORROWED: never freed on unmap. */
static uint64_t borrowed_page(struct vma *v, uintptr_t va, bool write)
{
	uint64_t into = va - v->start;
	if (!v->file)
		return 0;
	if (v->flags & VMA_SHARED)
		return inode_page_for_mapping(v->file, v->file_offset + into);
	if (write || into + PAGE_SIZE > v->file_bytes)
		return 0; /* written, or a partial page whose tail must read as zeros */
	return inode_initrd_page(v->file, v->file_offset + into);
}

/* The first write to a borrowed page of a private area, or to a page it
 * shares since a fork, gives the area a copy of its own. A shared page
 * whose other holders have all gone is the area's already: it just
 * becomes writable. */
static int copy_on_write(struct addrspace *as, struct vma *v, uintptr_t va, uint64_t *pte)
{
	uint64_t old = *pte & PTE_ADDR_MASK;
	bool borrowed = *pte & PTE_BORROWED;
	if (borrowed || page_refcount(old) > 1) {
		uint64_t phys = page_alloc(1);
		if (!phys)
			return -ENOMEM;
		memcpy(phys_to_virt(phys), phys_to_virt(old), PAGE_SIZE);
		if (!borrowed)
			page_unref(old);
		old = phys;
	}
	*pte = old | pte_flags(v->prot);
	if (is_current(as))
		invlpg(va);
	tlb_shootdown_later(as->root); /* another thread's CPU may hold the old page */
	return 0;
}

/* Whether the page at va of area v is file data wholly past the file's
 * end (an ELF segment's zero-filled tail is not file data). */
static bool past_end_of_file(const struct vma *v, uintptr_t va)
{
	uint64_t into = va - v->start;
	return v->file && into < v->file_bytes && v->file_offset + into >= PAGE_ALIGN_UP(v->file->size);
}

bool as_past_end_of_file(struct addrspace *as, uintptr_t addr)
{
	struct vma *v = vma_find(&as->vmas, addr);
	return v && past_end_of_file(v, PAGE_ALIGN_DOWN(addr));
}

/* A fault in the gap below a MAP_GROWSDOWN area grows the area down to
 * the faulting page, unless that leaves less than STACK_GUARD_GAP above
 * the accessible area below (Linux's expand_downwards). */
static struct vma *grow_down(struct addrspace *as, uintptr_t addr)
{
	struct vma *v = vma_first_overlap(&as->vmas, addr, USER_TOP);
	uintptr_t start = PAGE_ALIGN_DOWN(addr);
	if (!v || !(v->flags & VMA_GROWSDOWN) || start < USER_MIN_ADDR)
		return NULL;
	struct vma *below = v->prev;
	if (below && !(below->flags & VMA_GROWSDOWN) && below->prot && start - below->end < STACK_GUARD_GAP)
		return NULL;
	v->start = start;
	return v;
}

bool as_fault_already_served(struct addrspace *as, uintptr_t addr, bool write, bool exec)
{
	uint64_t *pte = paging_walk(as->root, PAGE_ALIGN_DOWN(addr), false);
	if (!pte || !(*pte & PTE_PRESENT) || !(*pte & PTE_USER))
		return false;
	return (!write || (*pte & PTE_WRITE)) && (!exec || !(*pte & PTE_NX));
}

int as_fault(struct addrspace *as, uintptr_t addr, bool write, bool exec)
{
	struct vma *v = vma_find(&as->vmas, addr);
	if (!v)
		v = grow_down(as, addr);
	if (!v)
		return -EFAULT;
	if (v->prot == 0 || (write && !(v->prot & VMA_WRITE)) || (exec && !(v->prot & VMA_EXEC)))
		return -EACCES;
	uintptr_t va = PAGE_ALIGN_DOWN(addr);
	if (past_end_of_file(v, va))
		return -EFAULT;
	uint64_t *pte = paging_walk(as->root, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_PRESENT) {
		/* Present: only a write to a read-only page of a writable private
		 * area (borrowed, or shared since a fork) is ours to fix; anything
		 * else (SMAP, a protection the area forbids) is a fault. */
		if (write && !(*pte & PTE_WRITE) && !(v->flags & VMA_SHARED))
			return copy_on_write(as, v, va, pte);
		return -EACCES;
	}
	uint64_t borrowed = borrowed_page(v, va, write);
	if (borrowed) {
		*pte = borrowed | leaf_flags(v, PTE_BORROWED);
		return 0;
	}
	uint64_t phys = page_alloc(1);
	if (!phys)
		return -ENOMEM;
	int err = fill_page(v, va, phys_to_virt(phys));
	if (err) {
		page_unref(phys);
		return err;
	}
	*pte = phys | pte_flags(v->prot);
	return 0;
}

int as_populate(struct addrspace *as, uintptr_t start, size_t len)
{
	for (uintptr_t va = PAGE_ALIGN_DOWN(start); va < start + len; va += PAGE_SIZE) {
		struct vma *v = vma_find(&as->vmas, va);
		if (!v)
			return -ENOMEM;
		if (v->prot == 0) {
			va = v->end - PAGE_SIZE; /* no access: nothing to bring in */
			continue;
		}
		if (page_present(as, va))
			continue;
		int err = as_fault(as, va, false, false);
		if (err)
			return err;
	}
	return 0;
}

/* Gives the child the pages present in the parent's area v: one more
 * reference to each owned page, and in a private area both entries
 * read-only, so that the first write on either side copies. Leaf tables
 * are walked whole; empty ones are skipped. */
static int fork_pages(struct addrspace *parent, struct addrspace *child, struct vma *v)
{
	size_t run;
	for (uintptr_t va = v->start; va < v->end; va += run * PAGE_SIZE) {
		uint64_t *from = paging_walk_run(parent->root, va, v->end, &run);
		uint64_t *to = NULL; /* the child's entry for va, made on need */
		for (size_t i = 0; from && i < run; i++) {
			uint64_t pte = from[i];
			if (!(pte & PTE_PRESENT))
				continue;
			if (!to && !(to = paging_walk(child->root, va, true)))
				return -ENOMEM;
			if (!(pte & PTE_BORROWED))
				page_ref(pte & PTE_ADDR_MASK);
			if (!(v->flags & VMA_SHARED))
				pte &= ~PTE_WRITE;
			from[i] = to[i] = pte;
		}
	}
	return 0;
}

struct addrspace *addrspace_fork(struct addrspace *parent)
{
	struct addrspace *child = addrspace_create();
	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk_end = parent->brk_end;
	if (parent->exe)
		addrspace_hold_exe(child, parent->exe);
	child->stack_top = parent->stack_top;
	child->mmap_top = parent->mmap_top;
	int err = 0;
	for (struct vma *v = parent->vmas.head; v && !err; v = v->next) {
		if (v->flags & VMA_DONTFORK)
			continue;
		struct vma *copy = kmalloc(sizeof *copy);
		if (!copy) {
			err = -ENOMEM;
			break;
		}
		*copy = *v;
		copy->flags &= ~(uint32_t)VMA_LOCK_MASK; /* locks are not inherited */
		copy->prev = copy->next = NULL;
		hold_file(copy);
		vma_insert(&child->vmas, copy);
		if (!(v->flags & VMA_WIPEONFORK))
			err = fork_pages(parent, child, v);
	}
	/* The parent lost write access to its private pages: one flush of
	 * its TLB instead of an invlpg per page (user pages are not global). */
	if (is_current(parent))
		paging_activate(parent->root);
	tlb_shootdown_later(parent->root);
	if (err) {
		addrspace_put(child); /* gives back every reference it took */
		return NULL;
	}
	return child;
}

uint64_t as_page(struct addrspace *as, uintptr_t addr, bool write)
{
	uintptr_t va = PAGE_ALIGN_DOWN(addr);
	if (addr >= USER_TOP)
		return 0;
	uint64_t *pte = paging_walk(as->root, va, false);
	if (!pte || !(*pte & PTE_PRESENT) || (write && !(*pte & PTE_WRITE))) {
		if (as_fault(as, va, write, false))
			return 0;
		pte = paging_walk(as->root, va, false);
	}
	return *pte & PTE_ADDR_MASK;
}

bool as_present_pages(struct addrspace *as, uintptr_t addr, size_t count, bool write, uint64_t *phys)
{
	uintptr_t end = addr + count * PAGE_SIZE;
	if (end > USER_TOP || end < addr)
		return false;
	size_t run, done = 0;
	for (uintptr_t va = addr; va < end; va += run * PAGE_SIZE) {
		uint64_t *pte = paging_walk_run(as->root, va, end, &run);
		for (size_t i = 0; i < run; i++) {
			if (!pte || !(pte[i] & PTE_PRESENT) || (write && !(pte[i] & PTE_WRITE)))
				return false;
			phys[done++] = pte[i] & PTE_ADDR_MASK;
		}
	}
	return true;
}

int as_read(struct addrspace *as, uintptr_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t page = as_page(as, addr, false);
		if (!page)
			return -EFAULT;
		size_t offset = addr % PAGE_SIZE;
		size_t n = PAGE_SIZE - offset < len ? PAGE_SIZE - offset : len;
		memcpy(out, (uint8_t *)phys_to_virt(page) + offset, n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

struct area_pages as_area_pages(struct addrspace *as, const struct vma *v)
{
	struct area_pages n = {0, 0, 0, 0};
	size_t run;
	for (uintptr_t va = v->start; va < v->end; va += run * PAGE_SIZE) {
		uint64_t *pte = paging_walk_run(as->root, va, v->end, &run);
		for (size_t i = 0; pte && i < run; i++) {
			if (!(pte[i] & PTE_PRESENT))
				continue;
			uint32_t holders = pte[i] & PTE_BORROWED ? 1 : page_refcount(pte[i] & PTE_ADDR_MASK);
			n.resident += PAGE_SIZE;
			n.proportional += PAGE_SIZE / (holders ? holders : 1);
			if (pte[i] & PTE_BORROWED)
				n.borrowed += PAGE_SIZE;
			else if (holders > 1)
				n.shared += PAGE_SIZE;
		}
	}
	return n;
}

static size_t outside(const struct vma *v, uintptr_t skip_start, uintptr_t skip_end)
{
	size_t size = v->end - v->start;
	uintptr_t from = v->start > skip_start ? v->start : skip_start;
	uintptr_t to = v->end < skip_end ? v->end : skip_end;
	return to > from ? size - (to - from) : size;
}

int as_write(struct addrspace *as, uintptr_t addr, const void *buf, size_t len)
{
	const uint8_t *in = buf;
	while (len) {
		uint64_t page = as_page(as, addr, true);
		if (!page)
			return -EFAULT;
		size_t offset = addr % PAGE_SIZE;
		size_t n = PAGE_SIZE - offset < len ? PAGE_SIZE - offset : len;
		memcpy((uint8_t *)phys_to_virt(page) + offset, in, n);
		in += n;
		addr += n;
		len -= n;
	}
	return 0;
}

struct as_usage as_usage(const struct addrspace *as, uintptr_t skip_start, uintptr_t skip_end)
{
	struct as_usage u = {0, 0};
	for (const struct vma *v = as->vmas.head; v; v = v->next) {
		size_t size = outside(v, skip_start, skip_end);
		u.total += size;
		if ((v->prot & VMA_WRITE) && !(v->flags & (VMA_SHARED | VMA_STACK)))
			u.data += size;
	}
	return u;
}
