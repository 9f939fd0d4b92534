/* User address spaces: VMAs kept in step with the page tables. Pages are
 * filled lazily by as_fault (demand paging). */
#include "kernel/mm/addrspace.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/paging.h"
#include "syscalls/vfs/vfs.h"

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
	return as;
}

void addrspace_destroy(struct addrspace *as)
{
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

static bool is_current(struct addrspace *as) { return read_cr3() == as->root; }

/* Drops the pages of [start, end), which lies inside one area. */
static void unmap_pages(struct addrspace *as, uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = paging_walk(as->root, va, false);
		if (!pte || !(*pte & PTE_PRESENT))
			continue;
		page_free(*pte & PTE_ADDR_MASK, 1);
		*pte = 0;
		if (is_current(as))
			invlpg(va);
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
		if (spare->file)
			inode_get(spare->file);
	}
	return 0;
}

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
		unmap_pages(as, v->start, v->end);
		vma_unlink(&as->vmas, v);
		if (v->file)
			inode_put(v->file);
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
	v->flags = flags;
	v->file = file;
	v->file_offset = file_offset;
	v->file_bytes = file ? file_bytes : 0;
	v->name = name;
	if (file)
		inode_get(file);
	vma_insert(&as->vmas, v);
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
	for (uintptr_t at = start; at < end;) {
		struct vma *v = vma_find(&as->vmas, at);
		if (!v)
			return -ENOMEM;
		at = v->end;
	}
	int err = split_at_bounds(as, start, end);
	if (err)
		return err;
	for (struct vma *v = vma_first_overlap(&as->vmas, start, end); v && v->start < end; v = v->next) {
		v->prot = prot;
		for (uintptr_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint64_t *pte = paging_walk(as->root, va, false);
			if (!pte || !(*pte & PTE_PRESENT))
				continue;
			if (prot == 0) {
				page_free(*pte & PTE_ADDR_MASK, 1);
				*pte = 0; /* refilled from the backing if access returns */
			} else {
				*pte = (*pte & PTE_ADDR_MASK) | pte_flags(prot);
			}
			if (is_current(as))
				invlpg(va);
		}
	}
	return 0;
}

int as_find_free(struct addrspace *as, size_t len, uintptr_t *start)
{
	uintptr_t floor = as->brk_end > USER_MIN_ADDR ? as->brk_end : USER_MIN_ADDR;
	return vma_find_gap_below(&as->vmas, PAGE_ALIGN_UP(len), floor, USER_MMAP_TOP, start) ? 0 : -ENOMEM;
}

static int fill_page(struct vma *v, uintptr_t va, void *page)
{
	uint64_t into = va - v->start;
	if (!v->file || into >= v->file_bytes)
		return 0;
	size_t n = v->file_bytes - into < PAGE_SIZE ? v->file_bytes - into : PAGE_SIZE;
	long got = inode_read(v->file, v->file_offset + into, page, n);
	return got < 0 ? (int)got : 0; /* past the file's end reads as zeros */
}

int as_fault(struct addrspace *as, uintptr_t addr, bool write, bool exec)
{
	struct vma *v = vma_find(&as->vmas, addr);
	if (!v)
		return -EFAULT;
	if (v->prot == 0 || (write && !(v->prot & VMA_WRITE)) || (exec && !(v->prot & VMA_EXEC)))
		return -EACCES;
	uintptr_t va = PAGE_ALIGN_DOWN(addr);
	uint64_t *pte = paging_walk(as->root, va, true);
	if (!pte)
		return -ENOMEM;
	if (*pte & PTE_PRESENT)
		return 0; /* already filled (a racing access, or a stale TLB entry) */
	uint64_t phys = page_alloc(1);
	if (!phys)
		return -ENOMEM;
	int err = fill_page(v, va, phys_to_virt(phys));
	if (err) {
		page_free(phys, 1);
		return err;
	}
	*pte = phys | pte_flags(v->prot);
	return 0;
}

int as_populate(struct addrspace *as, uintptr_t start, size_t len)
{
	for (uintptr_t va = PAGE_ALIGN_DOWN(start); va < start + len; va += PAGE_SIZE) {
		int err = as_fault(as, va, false, false);
		if (err)
			return err;
	}
	return 0;
}
