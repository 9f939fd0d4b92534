/* Bitmap page allocator, see pmm.h. */
#include "kernel/mm/pmm.h"

#include <string.h>

#define WORD_BITS 64

size_t pmm_storage_words(size_t npages) { return (npages + WORD_BITS - 1) / WORD_BITS; }

void pmm_init(struct page_bitmap *pb, uint64_t *storage, size_t npages)
{
	pb->used = storage;
	pb->npages = npages;
	pb->nfree = 0;
	pb->hint = npages;
	memset(storage, 0xff, pmm_storage_words(npages) * sizeof(uint64_t));
}

bool pmm_is_free(const struct page_bitmap *pb, size_t page)
{
	return page < pb->npages && !(pb->used[page / WORD_BITS] & (1ull << (page % WORD_BITS)));
}

static void set_range(struct page_bitmap *pb, size_t first, size_t count, bool used)
{
	for (size_t p = first; p < first + count && p < pb->npages; p++) {
		uint64_t bit = 1ull << (p % WORD_BITS);
		uint64_t *word = &pb->used[p / WORD_BITS];
		if (used && !(*word & bit)) {
			*word |= bit;
			pb->nfree--;
		} else if (!used && (*word & bit)) {
			*word &= ~bit;
			pb->nfree++;
		}
	}
}

void pmm_release(struct page_bitmap *pb, size_t first, size_t count)
{
	set_range(pb, first, count, false);
	if (first < pb->hint)
		pb->hint = first;
}

void pmm_claim(struct page_bitmap *pb, size_t first, size_t count) { set_range(pb, first, count, true); }

bool pmm_alloc(struct page_bitmap *pb, size_t count, size_t *first)
{
	if (count == 0 || count > pb->nfree)
		return false;
	size_t run = 0;
	for (size_t p = pb->hint; p < pb->npages; p++) {
		/* Skip whole taken words quickly. */
		if (run == 0 && p % WORD_BITS == 0 && pb->used[p / WORD_BITS] == ~0ull) {
			p += WORD_BITS - 1;
			continue;
		}
		if (!pmm_is_free(pb, p)) {
			run = 0;
			continue;
		}
		if (++run == count) {
			size_t start = p + 1 - count;
			bool was_hint = start == pb->hint;
			set_range(pb, start, count, true);
			if (was_hint)
				pb->hint = p + 1;
			*first = start;
			return true;
		}
	}
	return false;
}
