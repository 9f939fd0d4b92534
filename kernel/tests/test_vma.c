/* Host unit tests of the VMA list (kernel/mm/vma.c), with a randomized run
 * checked against a page-by-page map of which area owns what. */
#include <stdlib.h>

#include "kernel/mm/vma.h"
#include "kernel/tests/check.h"

#define PG 0x1000ul

/* Never dereferenced: the list only compares and copies the pointer. */
static char fake_inode_storage;
#define FAKE_FILE ((struct inode *)(void *)&fake_inode_storage)

static struct vma area(uintptr_t start, uintptr_t end)
{
	return (struct vma){.start = start, .end = end, .prot = VMA_READ, .name = "test"};
}

/* Links, order, non-overlap and the count; returns false on the first
 * problem (after reporting it). */
static bool list_consistent(const struct vma_list *list)
{
	size_t n = 0;
	const struct vma *prev = NULL;
	for (const struct vma *v = list->head; v; v = v->next) {
		if (!CHECK(v->prev == prev) || !CHECK(v->start < v->end))
			return false;
		if (prev && !CHECK(prev->end <= v->start))
			return false;
		prev = v;
		if (!CHECK(++n <= list->count))
			return false;
	}
	return CHECK_EQ(n, list->count);
}

static void test_empty_list(void)
{
	struct vma_list list = {0};
	uintptr_t start = 7;
	CHECK(vma_find(&list, 0) == NULL);
	CHECK(vma_find(&list, UINTPTR_MAX) == NULL);
	CHECK(vma_first_overlap(&list, 0, UINTPTR_MAX) == NULL);
	CHECK(vma_find_gap_below(&list, PG, 0, 16 * PG, &start));
	CHECK_EQ(start, 15 * PG);
	CHECK(vma_find_gap_below(&list, 16 * PG, 0, 16 * PG, &start));
	CHECK_EQ(start, 0);
	CHECK(!vma_find_gap_below(&list, 17 * PG, 0, 16 * PG, &start));
	CHECK(!vma_find_gap_below(&list, 0, 0, 16 * PG, &start));
	CHECK(!vma_find_gap_below(&list, PG, 16 * PG, 8 * PG, &start));
	CHECK(!vma_find_gap_below(&list, PG, 8 * PG, 8 * PG, &start));
	CHECK(vma_find_gap_below(&list, PG, 8 * PG, 9 * PG, &start));
	CHECK_EQ(start, 8 * PG);
	CHECK(list_consistent(&list));
}

static void test_insert_order_and_find(void)
{
	struct vma_list list = {0};
	struct vma a = area(0x10000, 0x20000), b = area(0x30000, 0x31000), c = area(0x40000, 0x50000);
	vma_insert(&list, &b);
	CHECK(list.head == &b);
	vma_insert(&list, &c); /* at the tail */
	vma_insert(&list, &a); /* at the head */
	CHECK_EQ(list.count, 3);
	CHECK(list.head == &a);
	CHECK(a.prev == NULL && a.next == &b);
	CHECK(b.prev == &a && b.next == &c);
	CHECK(c.prev == &b && c.next == NULL);
	CHECK(list_consistent(&list));

	CHECK(vma_find(&list, 0) == NULL);
	CHECK(vma_find(&list, 0xffff) == NULL);
	CHECK(vma_find(&list, 0x10000) == &a);
	CHECK(vma_find(&list, 0x1ffff) == &a);
	CHECK(vma_find(&list, 0x20000) == NULL);
	CHECK(vma_find(&list, 0x2ffff) == NULL);
	CHECK(vma_find(&list, 0x30000) == &b);
	CHECK(vma_find(&list, 0x30fff) == &b);
	CHECK(vma_find(&list, 0x31000) == NULL);
	CHECK(vma_find(&list, 0x4abcd) == &c);
	CHECK(vma_find(&list, 0x50000) == NULL);
	CHECK(vma_find(&list, UINTPTR_MAX) == NULL);

	/* An area in the middle, between two neighbours that touch it. */
	struct vma d = area(0x20000, 0x30000);
	vma_insert(&list, &d);
	CHECK(a.next == &d && d.prev == &a && d.next == &b && b.prev == &d);
	CHECK(vma_find(&list, 0x20000) == &d);
	CHECK(vma_find(&list, 0x1ffff) == &a);
	CHECK(vma_find(&list, 0x30000) == &b);
	CHECK(list_consistent(&list));
}

static void test_first_overlap(void)
{
	struct vma_list list = {0};
	struct vma a = area(0x10000, 0x20000), b = area(0x30000, 0x40000), c = area(0x50000, 0x60000);
	vma_insert(&list, &a);
	vma_insert(&list, &b);
	vma_insert(&list, &c);
	CHECK(vma_first_overlap(&list, 0, 0x10000) == NULL);       /* ends where a starts */
	CHECK(vma_first_overlap(&list, 0x20000, 0x30000) == NULL); /* exactly the hole */
	CHECK(vma_first_overlap(&list, 0x60000, 0x70000) == NULL); /* starts where c ends */
	CHECK(vma_first_overlap(&list, 0, 0x10001) == &a);
	CHECK(vma_first_overlap(&list, 0x1ffff, 0x20000) == &a);
	CHECK(vma_first_overlap(&list, 0x20000, 0x30001) == &b);
	CHECK(vma_first_overlap(&list, 0x31000, 0x32000) == &b); /* inside */
	CHECK(vma_first_overlap(&list, 0, UINTPTR_MAX) == &a);   /* spans all */
	CHECK(vma_first_overlap(&list, 0x25000, 0x55000) == &b); /* spans b, into c */
	CHECK(vma_first_overlap(&list, 0x5ffff, UINTPTR_MAX) == &c);
	/* An empty range inside an area: per the header's wording (ends above
	 * start, starts below end) that area is returned. */
	CHECK(vma_first_overlap(&list, 0x15000, 0x15000) == &a);
	CHECK(vma_first_overlap(&list, 0x25000, 0x25000) == NULL);
}

static void test_unlink(void)
{
	struct vma_list list = {0};
	struct vma a = area(0x1000, 0x2000), b = area(0x3000, 0x4000), c = area(0x5000, 0x6000);
	vma_insert(&list, &a);
	vma_insert(&list, &b);
	vma_insert(&list, &c);

	vma_unlink(&list, &b); /* middle */
	CHECK_EQ(list.count, 2);
	CHECK(a.next == &c && c.prev == &a);
	CHECK(b.prev == NULL && b.next == NULL);
	CHECK(vma_find(&list, 0x3000) == NULL);
	CHECK(list_consistent(&list));

	vma_unlink(&list, &a); /* head */
	CHECK(list.head == &c);
	CHECK(c.prev == NULL);
	CHECK(list_consistent(&list));

	vma_insert(&list, &b);
	vma_unlink(&list, &c); /* tail */
	CHECK(b.next == NULL);
	CHECK(list_consistent(&list));

	vma_unlink(&list, &b); /* the only one */
	CHECK(list.head == NULL);
	CHECK_EQ(list.count, 0);
	CHECK(vma_find(&list, 0x3000) == NULL);

	/* Reinsert after emptying. */
	vma_insert(&list, &c);
	vma_insert(&list, &a);
	CHECK(list.head == &a && a.next == &c);
	CHECK(list_consistent(&list));
}

static void test_split_anonymous(void)
{
	struct vma_list list = {0};
	struct vma a = area(0x10000, 0x20000), b = area(0x30000, 0x40000), spare, spare2;
	a.prot = VMA_READ | VMA_WRITE;
	a.flags = VMA_HEAP;
	a.name = "[heap]";
	vma_insert(&list, &a);
	vma_insert(&list, &b);

	struct vma *upper = vma_split(&list, &a, 0x14000, &spare);
	CHECK(upper == &spare);
	CHECK_EQ(list.count, 3);
	CHECK_EQ(a.start, 0x10000);
	CHECK_EQ(a.end, 0x14000);
	CHECK_EQ(spare.start, 0x14000);
	CHECK_EQ(spare.end, 0x20000);
	CHECK_EQ(spare.prot, VMA_READ | VMA_WRITE);
	CHECK_EQ(spare.flags, VMA_HEAP);
	CHECK_STREQ(spare.name, "[heap]");
	CHECK(spare.file == NULL);
	CHECK(a.next == &spare && spare.prev == &a && spare.next == &b && b.prev == &spare);
	CHECK(list_consistent(&list));
	CHECK(vma_find(&list, 0x13fff) == &a);
	CHECK(vma_find(&list, 0x14000) == &spare);
	CHECK(vma_find(&list, 0x1ffff) == &spare);
	CHECK(vma_first_overlap(&list, 0x13000, 0x15000) == &a);
	CHECK(vma_first_overlap(&list, 0x14000, 0x15000) == &spare);

	/* Splitting the tail of the list. */
	struct vma *upper2 = vma_split(&list, &b, 0x3f000, &spare2);
	CHECK(upper2 == &spare2);
	CHECK(spare2.next == NULL && spare2.prev == &b);
	CHECK_EQ(b.end, 0x3f000);
	CHECK_EQ(spare2.end, 0x40000);
	CHECK(vma_find(&list, 0x3f000) == &spare2);
	CHECK(vma_find(&list, 0x3efff) == &b);
	CHECK_EQ(list.count, 4);
	CHECK(list_consistent(&list));

	/* The halves can be unlinked on their own. */
	vma_unlink(&list, &spare);
	CHECK(vma_find(&list, 0x14000) == NULL);
	CHECK(vma_find(&list, 0x10000) == &a);
	CHECK(list_consistent(&list));
}

static void check_file_split(uint64_t file_bytes, uint64_t cut, uint64_t lower_bytes, uint64_t upper_bytes)
{
	struct vma_list list = {0};
	struct vma a = area(0x400000, 0x408000), spare;
	a.file = FAKE_FILE;
	a.file_offset = 0x2000;
	a.file_bytes = file_bytes;
	vma_insert(&list, &a);
	vma_split(&list, &a, a.start + cut, &spare);
	CHECK(spare.file == FAKE_FILE);
	CHECK(a.file == FAKE_FILE);
	CHECK_EQ(a.file_offset, 0x2000);
	CHECK_EQ(spare.file_offset, 0x2000 + cut);
	bool lower_ok = CHECK_EQ(a.file_bytes, lower_bytes);
	bool upper_ok = CHECK_EQ(spare.file_bytes, upper_bytes);
	if (!lower_ok || !upper_ok)
		fprintf(stderr, "  file_bytes 0x%llx, cut 0x%llx\n", (unsigned long long)file_bytes,
		        (unsigned long long)cut);
	CHECK(list_consistent(&list));
}

static void test_split_file_backed(void)
{
	check_file_split(0x8000, 0x3000, 0x3000, 0x5000); /* the whole area from the file */
	check_file_split(0x3000, 0x3000, 0x3000, 0);      /* file ends at the cut */
	check_file_split(0x3001, 0x3000, 0x3000, 1);      /* one byte beyond the cut */
	check_file_split(0x2fff, 0x3000, 0x2fff, 0);      /* ends just before the cut */
	check_file_split(0x1234, 0x3000, 0x1234, 0);      /* file part only in the lower half */
	check_file_split(0, 0x3000, 0, 0);                /* all zeros */
	check_file_split(0x5678, 0x1000, 0x1000, 0x4678); /* partial page in the upper half */
	check_file_split(0x7fff, 0x7000, 0x7000, 0xfff);  /* the last page */

	/* Split twice, then check the three pieces map contiguous file ranges. */
	struct vma_list list = {0};
	struct vma a = area(0x400000, 0x40a000), s1, s2;
	a.file = FAKE_FILE;
	a.file_offset = 0x10000;
	a.file_bytes = 0x6800;
	vma_insert(&list, &a);
	vma_split(&list, &a, 0x404000, &s1);
	vma_split(&list, &s1, 0x406000, &s2);
	CHECK(list.head == &a && a.next == &s1 && s1.next == &s2);
	CHECK_EQ(a.file_offset, 0x10000);
	CHECK_EQ(a.file_bytes, 0x4000);
	CHECK_EQ(s1.file_offset, 0x14000);
	CHECK_EQ(s1.file_bytes, 0x2000);
	CHECK_EQ(s2.file_offset, 0x16000);
	CHECK_EQ(s2.file_bytes, 0x800);
	CHECK_EQ(list.count, 3);
	CHECK(list_consistent(&list));
}

/* Merging undoes a split: pieces that continue one another (same flags,
 * and a file's next bytes) join; others stay apart. */
static void test_merge(void)
{
	struct vma_list list = {0};
	struct vma a = area(0x400000, 0x40a000), s1, s2;
	a.file = FAKE_FILE;
	a.file_offset = 0x10000;
	a.file_bytes = 0x6800;
	vma_insert(&list, &a);
	vma_split(&list, &a, 0x404000, &s1);
	vma_split(&list, &s1, 0x406000, &s2);
	s1.flags = VMA_LOCKED;
	CHECK(vma_merge_next(&list, &a) == NULL); /* flags differ */
	s1.flags = 0;
	CHECK(vma_merge_next(&list, &a) == &s1);
	CHECK(vma_merge_next(&list, &a) == &s2);
	CHECK_EQ(a.end, 0x40a000);
	CHECK_EQ(a.file_offset, 0x10000);
	CHECK_EQ(a.file_bytes, 0x6800);
	CHECK_EQ(list.count, 1);
	CHECK(vma_merge_next(&list, &a) == NULL); /* nothing follows */
	CHECK(list_consistent(&list));

	/* A file area whose bytes end early, or a gap, keeps areas apart. */
	struct vma b = area(0x40a000, 0x40b000), c = area(0x40c000, 0x40d000);
	b.file = FAKE_FILE;
	b.file_offset = 0x1a000;
	vma_insert(&list, &b);
	vma_insert(&list, &c);
	CHECK(vma_merge_next(&list, &a) == NULL);
	b.file = NULL;
	CHECK(vma_merge_next(&list, &b) == NULL);
	CHECK(list_consistent(&list));
}

static void test_gap_below(void)
{
	struct vma_list list = {0};
	uintptr_t start = 0;
	/* Areas at pages [10,12), [14,15), [20,30). */
	struct vma a = area(10 * PG, 12 * PG), b = area(14 * PG, 15 * PG), c = area(20 * PG, 30 * PG);
	vma_insert(&list, &a);
	vma_insert(&list, &b);
	vma_insert(&list, &c);

	/* A ceiling above everything: the gap right under it. */
	CHECK(vma_find_gap_below(&list, 4 * PG, 0, 100 * PG, &start));
	CHECK_EQ(start, 96 * PG);
	/* The ceiling at c's end: gaps below c. */
	CHECK(vma_find_gap_below(&list, PG, 0, 30 * PG, &start));
	CHECK_EQ(start, 19 * PG);
	CHECK(vma_find_gap_below(&list, 5 * PG, 0, 30 * PG, &start));
	CHECK_EQ(start, 15 * PG); /* exactly fills [15,20) */
	CHECK(vma_find_gap_below(&list, 2 * PG, 0, 30 * PG, &start));
	CHECK_EQ(start, 18 * PG);
	CHECK(vma_find_gap_below(&list, 6 * PG, 0, 30 * PG, &start));
	CHECK_EQ(start, 4 * PG); /* only below a */
	CHECK(vma_find_gap_below(&list, 10 * PG, 0, 30 * PG, &start));
	CHECK_EQ(start, 0);
	CHECK(!vma_find_gap_below(&list, 11 * PG, 0, 30 * PG, &start));
	/* The hole [12,14) between a and b. */
	CHECK(vma_find_gap_below(&list, 2 * PG, 0, 15 * PG, &start));
	CHECK_EQ(start, 12 * PG);

	/* c straddles the ceiling: the search starts below c. */
	CHECK(vma_find_gap_below(&list, PG, 0, 25 * PG, &start));
	CHECK_EQ(start, 19 * PG);
	/* The ceiling exactly at c's start. */
	CHECK(vma_find_gap_below(&list, PG, 0, 20 * PG, &start));
	CHECK_EQ(start, 19 * PG);
	/* The ceiling inside a gap, an area at the ceiling excluded. */
	CHECK(vma_find_gap_below(&list, 3 * PG, 0, 18 * PG, &start));
	CHECK_EQ(start, 15 * PG);
	CHECK(vma_find_gap_below(&list, 4 * PG, 0, 18 * PG, &start));
	CHECK_EQ(start, 6 * PG);

	/* The floor: gaps below it are not used. */
	CHECK(vma_find_gap_below(&list, 5 * PG, 15 * PG, 30 * PG, &start));
	CHECK_EQ(start, 15 * PG);
	CHECK(!vma_find_gap_below(&list, 6 * PG, 15 * PG, 30 * PG, &start));
	CHECK(!vma_find_gap_below(&list, 5 * PG, 16 * PG, 30 * PG, &start));
	CHECK(vma_find_gap_below(&list, 4 * PG, 16 * PG, 30 * PG, &start));
	CHECK_EQ(start, 16 * PG);
	/* b straddles the floor. */
	CHECK(!vma_find_gap_below(&list, 6 * PG, 14 * PG + PG / 2, 30 * PG, &start));
	CHECK(vma_find_gap_below(&list, 5 * PG, 14 * PG + PG / 2, 30 * PG, &start));
	CHECK_EQ(start, 15 * PG);
	CHECK(!vma_find_gap_below(&list, 5 * PG + PG / 4, 14 * PG + PG / 2, 20 * PG, &start));
	/* Every area below the floor. */
	CHECK(vma_find_gap_below(&list, 5 * PG, 40 * PG, 45 * PG, &start));
	CHECK_EQ(start, 40 * PG);
	CHECK(!vma_find_gap_below(&list, 6 * PG, 40 * PG, 45 * PG, &start));
	/* Floor and ceiling inside one area: no room. */
	CHECK(!vma_find_gap_below(&list, PG, 21 * PG, 29 * PG, &start));
	/* The floor at an area's end, the gap above it just fits. */
	CHECK(vma_find_gap_below(&list, 2 * PG, 12 * PG, 14 * PG, &start));
	CHECK_EQ(start, 12 * PG);
	/* Ranges that are too small or inverted. */
	CHECK(!vma_find_gap_below(&list, 3 * PG, 12 * PG, 14 * PG, &start));
	CHECK(!vma_find_gap_below(&list, PG, 14 * PG, 12 * PG, &start));
	CHECK(!vma_find_gap_below(&list, 0, 0, 30 * PG, &start));
	/* Sizes that are not page multiples are taken as they are. */
	CHECK(vma_find_gap_below(&list, 10, 0, 30 * PG, &start));
	CHECK_EQ(start, 20 * PG - 10);

	/* Near the top of the address space, without overflow. */
	struct vma_list top_list = {0};
	struct vma t = area(UINTPTR_MAX - 4 * PG + 1, UINTPTR_MAX);
	vma_insert(&top_list, &t);
	CHECK(vma_find_gap_below(&top_list, PG, 0, UINTPTR_MAX, &start));
	CHECK_EQ(start, UINTPTR_MAX - 5 * PG + 1);
	CHECK(vma_find_gap_below(&top_list, UINTPTR_MAX - 4 * PG + 1, 0, UINTPTR_MAX, &start));
	CHECK_EQ(start, 0);
	CHECK(!vma_find_gap_below(&top_list, UINTPTR_MAX - 4 * PG + 2, 0, UINTPTR_MAX, &start));

	/* An area starting at 0, the floor at 0. */
	struct vma_list zero_list = {0};
	struct vma z = area(0, 4 * PG);
	vma_insert(&zero_list, &z);
	CHECK(!vma_find_gap_below(&zero_list, PG, 0, 4 * PG, &start));
	CHECK(vma_find_gap_below(&zero_list, PG, 0, 5 * PG, &start));
	CHECK_EQ(start, 4 * PG);
	CHECK(!vma_find_gap_below(&zero_list, 2 * PG, 0, 5 * PG, &start));
}

/* Randomized: areas over a small range of pages; owner[] says which slot
 * holds each page (or -1). */
enum { RPAGES = 160, SLOTS = 48, OPS = 4000 };

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static struct vma *slots[SLOTS]; /* heap-allocated while linked, so ASan sees stale use */
static int owner[RPAGES];

static int free_slot(void)
{
	for (int i = 0; i < SLOTS; i++)
		if (!slots[i])
			return i;
	return -1;
}

static int slot_of(const struct vma *v)
{
	if (!v)
		return -1;
	for (int i = 0; i < SLOTS; i++)
		if (slots[i] == v)
			return i;
	return -1;
}

static int random_slot(void)
{
	int n = 0, pick = -1;
	for (int i = 0; i < SLOTS; i++)
		if (slots[i] && rng() % (uint64_t)++n == 0)
			pick = i;
	return pick;
}

/* The highest page-aligned start of size pages inside [floor, ceiling). */
static bool model_gap(size_t size, size_t floor, size_t ceiling, size_t *start)
{
	if (size == 0 || ceiling < floor || ceiling - floor < size)
		return false;
	for (size_t s = ceiling - size + 1; s-- > floor;) {
		bool clear = true;
		for (size_t p = s; p < s + size && clear; p++)
			clear = p >= RPAGES || owner[p] < 0;
		if (clear) {
			*start = s;
			return true;
		}
	}
	return false;
}

static void random_insert(struct vma_list *list, uint64_t r)
{
	int slot = free_slot();
	size_t first = r % RPAGES, len = 1 + (r >> 20) % 12;
	if (slot < 0 || first + len > RPAGES)
		return;
	for (size_t p = first; p < first + len; p++)
		if (owner[p] >= 0)
			return;
	struct vma *v = malloc(sizeof *v);
	*v = area(first * PG, (first + len) * PG);
	if ((r >> 30) & 1) {
		v->file = FAKE_FILE;
		v->file_offset = ((r >> 32) % 64) * PG;
		v->file_bytes = (r >> 40) % (len * PG + 1);
	}
	slots[slot] = v;
	for (size_t p = first; p < first + len; p++)
		owner[p] = slot;
	vma_insert(list, v);
}

static void random_unlink(struct vma_list *list)
{
	int slot = random_slot();
	if (slot < 0)
		return;
	struct vma *v = slots[slot];
	for (size_t p = v->start / PG; p < v->end / PG; p++)
		owner[p] = -1;
	vma_unlink(list, v);
	CHECK(v->prev == NULL && v->next == NULL);
	free(v);
	slots[slot] = NULL;
}

static void random_split(struct vma_list *list, uint64_t r)
{
	int slot = random_slot(), upper_slot;
	if (slot < 0)
		return;
	struct vma *v = slots[slot];
	size_t pages = (v->end - v->start) / PG;
	if (pages < 2)
		return;
	upper_slot = free_slot();
	if (upper_slot < 0)
		return;
	uintptr_t cut = (1 + r % (pages - 1)) * PG;
	struct vma before = *v;
	struct vma *spare = malloc(sizeof *spare);
	struct vma *upper = vma_split(list, v, v->start + cut, spare);
	CHECK(upper == spare);
	CHECK_EQ(v->start, before.start);
	CHECK_EQ(v->end, before.start + cut);
	CHECK_EQ(spare->start, before.start + cut);
	CHECK_EQ(spare->end, before.end);
	CHECK(spare->file == before.file);
	if (before.file) {
		CHECK_EQ(v->file_offset, before.file_offset);
		CHECK_EQ(spare->file_offset, before.file_offset + cut);
		CHECK_EQ(v->file_bytes + spare->file_bytes, before.file_bytes);
		CHECK_EQ(v->file_bytes, before.file_bytes < cut ? before.file_bytes : cut);
	}
	slots[upper_slot] = spare;
	for (size_t p = spare->start / PG; p < spare->end / PG; p++)
		owner[p] = upper_slot;
}

static void random_queries(const struct vma_list *list, uint64_t r, int op, int *mismatches)
{
	/* vma_find on a byte address, anywhere in the page. */
	size_t page = r % (RPAGES + 8);
	uintptr_t addr = page * PG + ((r >> 8) % PG);
	int expect = page < RPAGES ? owner[page] : -1;
	int got = slot_of(vma_find(list, addr));
	if (!CHECK_EQ(got, expect)) {
		fprintf(stderr, "  op %d: vma_find(0x%lx)\n", op, (unsigned long)addr);
		++*mismatches;
	}

	/* vma_first_overlap on a page range. */
	size_t lo = (r >> 16) % (RPAGES + 4), hi = lo + 1 + (r >> 24) % 20;
	expect = -1;
	for (size_t p = lo; p < hi && p < RPAGES && expect < 0; p++)
		expect = owner[p];
	got = slot_of(vma_first_overlap(list, lo * PG, hi * PG));
	if (!CHECK_EQ(got, expect)) {
		fprintf(stderr, "  op %d: vma_first_overlap(0x%lx, 0x%lx)\n", op, (unsigned long)(lo * PG),
		        (unsigned long)(hi * PG));
		++*mismatches;
	}

	/* vma_find_gap_below with page-aligned arguments. */
	size_t size = (r >> 32) % 16, floor = (r >> 40) % (RPAGES + 10), ceiling = (r >> 48) % (RPAGES + 20);
	size_t expect_start = 0;
	uintptr_t got_start = 0;
	bool model_ok = model_gap(size, floor, ceiling, &expect_start);
	bool ok = vma_find_gap_below(list, size * PG, floor * PG, ceiling * PG, &got_start);
	if (!CHECK_EQ(ok, model_ok) || (ok && !CHECK_EQ(got_start, expect_start * PG))) {
		fprintf(stderr, "  op %d: vma_find_gap_below(%zu pages, floor %zu, ceiling %zu)\n", op, size, floor,
		        ceiling);
		++*mismatches;
	}
}

static void test_random_model(void)
{
	struct vma_list list = {0};
	int mismatches = 0;
	for (int p = 0; p < RPAGES; p++)
		owner[p] = -1;
	for (int op = 0; op < OPS && mismatches < 5; op++) {
		uint64_t r = rng();
		switch (r % 8) {
		case 0:
		case 1:
		case 2:
			random_insert(&list, r >> 3);
			break;
		case 3:
			random_unlink(&list);
			break;
		case 4:
			random_split(&list, r >> 3);
			break;
		default:
			random_queries(&list, r >> 3, op, &mismatches);
			break;
		}
		size_t linked = 0;
		for (int i = 0; i < SLOTS; i++)
			linked += slots[i] != NULL;
		if (!CHECK_EQ(list.count, linked) || !list_consistent(&list))
			mismatches++;
	}
	CHECK_EQ(mismatches, 0);
	for (int i = 0; i < SLOTS; i++)
		free(slots[i]);
}

int main(void)
{
	test_empty_list();
	test_insert_order_and_find();
	test_first_overlap();
	test_unlink();
	test_split_anonymous();
	test_split_file_backed();
	test_merge();
	test_gap_below();
	test_random_model();
	return check_summary("test_vma");
}
