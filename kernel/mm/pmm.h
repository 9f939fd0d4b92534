/* The physical page allocator: a bitmap with one bit per 4 KiB page, first
 * fit for runs of pages, and a reference count per page for the pages that
 * user mappings share (fork's copy-on-write). Pure data structure:
 * unit-tested on the host. */
#ifndef SOLE_PMM_H
#define SOLE_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct page_bitmap {
	uint64_t *used; /* bit set: page taken or not RAM */
	size_t npages;
	size_t nfree;
	size_t hint; /* no free page below this index */
	/* Per page, how many mappings hold it: 1 from pmm_alloc, 0 when free.
	 * NULL when not kept. A reference is a page-table entry, so 32 bits
	 * cannot overflow. */
	uint32_t *refs;
};

/* Starts with every page taken; release the RAM ranges afterwards. */
void pmm_init(struct page_bitmap *pb, uint64_t *storage, size_t npages);
size_t pmm_storage_words(size_t npages);
void pmm_release(struct page_bitmap *pb, size_t first, size_t count);
void pmm_claim(struct page_bitmap *pb, size_t first, size_t count);
bool pmm_alloc(struct page_bitmap *pb, size_t count, size_t *first);
bool pmm_is_free(const struct page_bitmap *pb, size_t page);

/* Keeps reference counts in refs (npages entries), all 0 at first; call
 * before releasing the RAM ranges. */
void pmm_init_refs(struct page_bitmap *pb, uint32_t *refs);
void pmm_ref(struct page_bitmap *pb, size_t page);
/* Drops one reference and releases the page with the last one. Returns
 * the references left. */
uint32_t pmm_unref(struct page_bitmap *pb, size_t page);
uint32_t pmm_refcount(const struct page_bitmap *pb, size_t page);

#endif
