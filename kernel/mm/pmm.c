/* Bitmap page allocator, see pmm.h. */
#include "kernel/mm/pmm.h"

#include <string.h>

#define WORD_BITS 64

/* Set bits in a word; by hand, since the kernel links without libgcc. */
static size_t bits_set(uint64_t w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (size_t)((w * 0x0101010101010101ull) >> 56);
}

size_t pmm_storage_words(size_t npages) { return (npages + WORD_BITS - 1) / WORD_BITS; }

void pmm_init(struct page_bitmap *pb, uint64_t *storage, size_t npages)
{
	pb->used = storage;
	pb->npages = npages;
	pb->nfree = 0;
	pb->hint = npages;
	pb->refs = NULL;
	memset(storage, 0xff, pmm_storage_words(npages) * sizeof(uint64_t));
}

bool pmm_is_free(const struct page_bitmap *pb, size_t page)
{
	return page < pb->npages && !(pb->used[page / WORD_BITS] & (1ull << (page % WORD_BITS)));
}

static void set_range(struct page_bitmap *pb, size_t first, size_t count, bool used)
{
	size_t end = first + count < pb->npages ? first + count : pb->npages;
	for (size_t p = first; p < end; p++) {
		/* Whole words at once where the range covers them. */
		if (p % WORD_BITS == 0 && end - p >= WORD_BITS) {
			uint64_t *word = &pb->used[p / WORD_BITS];
			size_t flipping = bits_set(used ? ~*word : *word);
			*word = used ? ~0ull : 0;
			pb->nfree = used ? pb->nfree - flipping : pb->nfree + flipping;
			p += WORD_BITS - 1;
			continue;
		}
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

static void set_refs(struct page_bitmap *pb, size_t first, size_t count, uint32_t value)
{
	if (!pb->refs)
		return;
	for (size_t p = first; p < first + count && p < pb->npages; p++)
		pb->refs[p] = value;
}

void pmm_release(struct page_bitmap *pb, size_t first, size_t count)
{
	set_range(pb, first, count, false);
	set_refs(pb, first, count, 0);
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
			set_refs(pb, start, count, 1);
			if (was_hint)
				pb->hint = p + 1;
			*first = start;
			return true;
		}
	}
	return false;
}

void pmm_init_refs(struct page_bitmap *pb, uint32_t *refs)
{
	pb->refs = refs;
	memset(refs, 0, pb->npages * sizeof *refs);
}

void pmm_ref(struct page_bitmap *pb, size_t page) { pb->refs[page]++; }

uint32_t pmm_unref(struct page_bitmap *pb, size_t page)
{
	uint32_t left = --pb->refs[page];
	if (left == 0)
		pmm_release(pb, page, 1);
	return left;
}

uint32_t pmm_refcount(const struct page_bitmap *pb, size_t page)
{
	return pb->refs && page < pb->npages ? pb->refs[page] : 0;
}
