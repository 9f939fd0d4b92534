/* Host unit tests of the bitmap page allocator (kernel/mm/pmm.c) and its
 * page reference counts, with randomized runs checked against plain arrays
 * of page states. */
#include <stdlib.h>

#include "kernel/mm/pmm.h"
#include "kernel/tests/check.h"

#define MAX_PAGES 1024

static uint64_t storage[MAX_PAGES / 64 + 1];

/* Storage is taken from the heap at its exact size, so that ASan catches a
 * word read or written past the bitmap. */
static struct page_bitmap new_bitmap(size_t npages)
{
	struct page_bitmap pb;
	uint64_t *words = malloc(pmm_storage_words(npages) * sizeof(uint64_t));
	pmm_init(&pb, words, npages);
	return pb;
}

static size_t count_free(const struct page_bitmap *pb)
{
	size_t n = 0;
	for (size_t p = 0; p < pb->npages; p++)
		n += pmm_is_free(pb, p);
	return n;
}

static bool range_taken(const struct page_bitmap *pb, size_t first, size_t count)
{
	for (size_t p = first; p < first + count; p++)
		if (pmm_is_free(pb, p))
			return false;
	return true;
}

static void test_storage_words(void)
{
	CHECK_EQ(pmm_storage_words(0), 0);
	CHECK_EQ(pmm_storage_words(1), 1);
	CHECK_EQ(pmm_storage_words(63), 1);
	CHECK_EQ(pmm_storage_words(64), 1);
	CHECK_EQ(pmm_storage_words(65), 2);
	CHECK_EQ(pmm_storage_words(128), 2);
	CHECK_EQ(pmm_storage_words(129), 3);
}

static void test_init_all_taken(void)
{
	struct page_bitmap pb;
	storage[0] = 0;
	storage[1] = 0;
	pmm_init(&pb, storage, 100);
	CHECK_EQ(pb.npages, 100);
	CHECK_EQ(pb.nfree, 0);
	CHECK_EQ(pb.hint, 100);
	CHECK_EQ(storage[0], ~0ull);
	CHECK_EQ(storage[1], ~0ull);
	CHECK_EQ(count_free(&pb), 0);
	size_t first = 12345;
	CHECK(!pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 12345);
	CHECK(!pmm_is_free(&pb, 0));
	CHECK(!pmm_is_free(&pb, 99));
	CHECK(!pmm_is_free(&pb, 100));
}

static void test_release_claim_accounting(void)
{
	struct page_bitmap pb = new_bitmap(200);
	pmm_release(&pb, 10, 20);
	CHECK_EQ(pb.nfree, 20);
	CHECK_EQ(pb.hint, 10);
	CHECK(!pmm_is_free(&pb, 9));
	CHECK(pmm_is_free(&pb, 10));
	CHECK(pmm_is_free(&pb, 29));
	CHECK(!pmm_is_free(&pb, 30));

	/* Releasing free pages again and claiming taken ones change nothing. */
	pmm_release(&pb, 15, 10);
	CHECK_EQ(pb.nfree, 20);
	pmm_claim(&pb, 0, 10);
	CHECK_EQ(pb.nfree, 20);
	pmm_release(&pb, 25, 10); /* half already free */
	CHECK_EQ(pb.nfree, 25);
	CHECK_EQ(count_free(&pb), 25);

	pmm_claim(&pb, 12, 3);
	CHECK_EQ(pb.nfree, 22);
	CHECK(!pmm_is_free(&pb, 12));
	CHECK(!pmm_is_free(&pb, 14));
	CHECK(pmm_is_free(&pb, 11));
	CHECK(pmm_is_free(&pb, 15));

	/* Zero-length ranges, and ranges running past the end. */
	pmm_release(&pb, 50, 0);
	CHECK_EQ(pb.nfree, 22);
	pmm_claim(&pb, 10, 0);
	CHECK_EQ(pb.nfree, 22);
	pmm_release(&pb, 190, 100);
	CHECK_EQ(pb.nfree, 32);
	CHECK(pmm_is_free(&pb, 199));
	CHECK(!pmm_is_free(&pb, 200));
	pmm_release(&pb, 200, 5);
	pmm_release(&pb, 1000, 5);
	CHECK_EQ(pb.nfree, 32);
	pmm_claim(&pb, 195, 1000);
	CHECK_EQ(pb.nfree, 27);
	CHECK_EQ(count_free(&pb), pb.nfree);
	free(pb.used);
}

/* Ranges covering whole 64-page words, with mixed bits inside them, so the
 * free count is kept right when a word changes at once. */
static void test_whole_words(void)
{
	struct page_bitmap pb = new_bitmap(300);
	pmm_release(&pb, 0, 256);
	CHECK_EQ(pb.nfree, 256);
	CHECK_EQ(pb.used[0], 0);
	CHECK_EQ(pb.used[3], 0);
	CHECK_EQ(pb.used[4], ~0ull);

	/* Claim a few pages inside word 1, then all of words 1 and 2. */
	pmm_claim(&pb, 70, 3);
	pmm_claim(&pb, 127, 1);
	CHECK_EQ(pb.nfree, 252);
	pmm_claim(&pb, 64, 128);
	CHECK_EQ(pb.nfree, 128);
	CHECK_EQ(pb.used[1], ~0ull);
	CHECK_EQ(pb.used[2], ~0ull);
	CHECK_EQ(count_free(&pb), 128);

	/* Release a range from mid word 0 to mid word 3 over mixed words. */
	pmm_claim(&pb, 0, 64);
	pmm_release(&pb, 65, 1);
	pmm_release(&pb, 130, 2);
	CHECK_EQ(pb.nfree, 67);
	pmm_release(&pb, 40, 180);
	CHECK_EQ(pb.nfree, 216);
	CHECK_EQ(count_free(&pb), 216);
	CHECK(!pmm_is_free(&pb, 39));
	CHECK(pmm_is_free(&pb, 40));
	CHECK(pmm_is_free(&pb, 255));

	/* A whole-word range ending exactly at npages, and one cut by it. */
	struct page_bitmap pb2 = new_bitmap(192);
	pmm_release(&pb2, 128, 64);
	CHECK_EQ(pb2.nfree, 64);
	pmm_release(&pb2, 100, 1000);
	CHECK_EQ(pb2.nfree, 92);
	pmm_claim(&pb2, 64, 1000);
	CHECK_EQ(pb2.nfree, 0);
	CHECK_EQ(count_free(&pb2), 0);
	free(pb.used);
	free(pb2.used);
}

static void test_alloc_basic(void)
{
	struct page_bitmap pb = new_bitmap(128);
	pmm_release(&pb, 0, 128);
	size_t first = 999;
	CHECK(!pmm_alloc(&pb, 0, &first));
	CHECK_EQ(first, 999);
	CHECK(!pmm_alloc(&pb, 129, &first));
	CHECK_EQ(pb.nfree, 128);

	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 0);
	CHECK(pmm_alloc(&pb, 3, &first));
	CHECK_EQ(first, 1);
	CHECK(range_taken(&pb, 0, 4));
	CHECK(pmm_is_free(&pb, 4));
	CHECK_EQ(pb.nfree, 124);
	CHECK_EQ(pb.hint, 4);
	free(pb.used);
}

static void test_alloc_across_words(void)
{
	struct page_bitmap pb = new_bitmap(256);
	size_t first = 0;

	/* A free run 60..70 straddles the boundary between words 0 and 1. */
	pmm_release(&pb, 60, 11);
	CHECK(pmm_alloc(&pb, 11, &first));
	CHECK_EQ(first, 60);
	CHECK_EQ(pb.nfree, 0);
	CHECK(range_taken(&pb, 60, 11));

	/* A run over three words: 10 pages of word 0, all of word 1, 10 of word 2. */
	pmm_release(&pb, 54, 84);
	CHECK(pmm_alloc(&pb, 84, &first));
	CHECK_EQ(first, 54);
	CHECK_EQ(pb.nfree, 0);

	/* The run ends in word 0 just before a full word: a run of 5 must not
	 * continue into the taken word 1, and is found in word 2 instead. */
	pmm_release(&pb, 61, 3);
	pmm_release(&pb, 128, 5);
	CHECK(pmm_alloc(&pb, 5, &first));
	CHECK_EQ(first, 128);
	CHECK(pmm_alloc(&pb, 3, &first));
	CHECK_EQ(first, 61);
	CHECK_EQ(pb.nfree, 0);

	/* Exactly one whole word, found after a skipped full word. */
	pmm_release(&pb, 128, 64);
	CHECK(pmm_alloc(&pb, 64, &first));
	CHECK_EQ(first, 128);
	CHECK_EQ(pb.used[2], ~0ull);

	/* The last page of a word plus the first of the next. */
	pmm_release(&pb, 127, 2);
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(first, 127);
	free(pb.used);
}

static void test_alloc_first_fit(void)
{
	struct page_bitmap pb = new_bitmap(300);
	size_t first = 0;
	pmm_release(&pb, 5, 2);    /* too small for 3 */
	pmm_release(&pb, 100, 3);  /* first fit for 3 */
	pmm_release(&pb, 200, 50); /* larger, later */
	CHECK(pmm_alloc(&pb, 3, &first));
	CHECK_EQ(first, 100);
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(first, 5);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 200);
	CHECK(pmm_alloc(&pb, 49, &first));
	CHECK_EQ(first, 201);
	CHECK_EQ(pb.nfree, 0);
	free(pb.used);
}

static void test_fragmentation(void)
{
	struct page_bitmap pb = new_bitmap(256);
	size_t first = 0;
	for (size_t p = 0; p < 256; p += 2)
		pmm_release(&pb, p, 1);
	CHECK_EQ(pb.nfree, 128);
	/* Enough free pages in total, but no two adjacent. */
	CHECK(!pmm_alloc(&pb, 2, &first));
	CHECK_EQ(pb.nfree, 128);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 0);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 2);
	pmm_release(&pb, 255, 1);
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(first, 254);
	free(pb.used);
}

static void test_exhaustion_and_reuse(void)
{
	enum { N = 200 }; /* not a multiple of 64 */
	struct page_bitmap pb = new_bitmap(N);
	pmm_release(&pb, 0, N);
	size_t first = 0;
	for (size_t i = 0; i < N; i++) {
		if (!CHECK(pmm_alloc(&pb, 1, &first)))
			break;
		CHECK_EQ(first, i);
	}
	CHECK_EQ(pb.nfree, 0);
	CHECK(!pmm_alloc(&pb, 1, &first));
	CHECK_EQ(count_free(&pb), 0);
	/* The padding bits past npages stay taken. */
	CHECK_EQ(pb.used[N / 64] >> (N % 64), ~0ull >> (N % 64));

	/* Freed pages come back, lowest first; the hint moves back down. */
	pmm_release(&pb, 150, 1);
	pmm_release(&pb, 3, 1);
	CHECK_EQ(pb.hint, 3);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 3);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 150);
	CHECK(!pmm_alloc(&pb, 1, &first));

	/* The last pages, in the partial final word. */
	pmm_release(&pb, N - 8, 8);
	CHECK(!pmm_alloc(&pb, 9, &first));
	CHECK(pmm_alloc(&pb, 8, &first));
	CHECK_EQ(first, N - 8);
	CHECK(!pmm_alloc(&pb, 1, &first));

	/* Everything free again: one run of every page. */
	pmm_release(&pb, 0, N);
	CHECK_EQ(pb.nfree, N);
	CHECK(pmm_alloc(&pb, N, &first));
	CHECK_EQ(first, 0);
	CHECK_EQ(pb.nfree, 0);
	free(pb.used);
}

static void test_hint(void)
{
	struct page_bitmap pb = new_bitmap(256);
	size_t first = 0;
	pmm_release(&pb, 64, 192);
	CHECK_EQ(pb.hint, 64);
	CHECK(pmm_alloc(&pb, 10, &first));
	CHECK_EQ(first, 64);
	CHECK_EQ(pb.hint, 74);

	/* A claim at the hint leaves the hint as a lower bound only. */
	pmm_claim(&pb, 74, 6);
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(first, 80);
	CHECK(pb.hint <= 80);

	/* Releasing below the hint moves it back; the next alloc finds it. */
	pmm_release(&pb, 66, 2);
	CHECK_EQ(pb.hint, 66);
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(first, 66);
	/* A release above the hint does not move it up. */
	size_t before = pb.hint;
	pmm_release(&pb, 200, 1);
	CHECK_EQ(pb.hint, before);
	for (size_t p = 0; p < pb.hint; p++)
		if (!CHECK(!pmm_is_free(&pb, p)))
			break;

	/* A request that does not fit at the hint leaves the hint alone; the
	 * free page below the run must still be found afterwards. */
	struct page_bitmap pb2 = new_bitmap(128);
	pmm_release(&pb2, 3, 1);
	pmm_release(&pb2, 10, 5);
	CHECK(pmm_alloc(&pb2, 4, &first));
	CHECK_EQ(first, 10);
	CHECK(pmm_alloc(&pb2, 1, &first));
	CHECK_EQ(first, 3);
	CHECK(pmm_alloc(&pb2, 1, &first));
	CHECK_EQ(first, 14);
	CHECK(!pmm_alloc(&pb2, 1, &first));
	free(pb.used);
	free(pb2.used);
}

/* Randomized: every operation is mirrored in model[], and the allocator
 * must agree with a naive first-fit search over it. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool model_first_fit(const bool *model_free, size_t npages, size_t count, size_t *first)
{
	size_t run = 0;
	for (size_t p = 0; p < npages; p++) {
		run = model_free[p] ? run + 1 : 0;
		if (count && run == count) {
			*first = p + 1 - count;
			return true;
		}
	}
	return false;
}

static void test_random_model(void)
{
	enum { N = 333, OPS = 5000 };
	static bool model_free[N];
	struct page_bitmap pb = new_bitmap(N);
	size_t model_nfree = 0;
	int mismatches = 0;

	for (int op = 0; op < OPS && mismatches < 5; op++) {
		uint64_t r = rng();
		size_t first = r % (N + 20), count;
		switch ((r >> 32) % 8) {
		case 0:
		case 1: /* release a range, maybe partly past the end */
			count = (r >> 40) % 4 ? (r >> 42) % 70 : (r >> 42) % 200;
			pmm_release(&pb, first, count);
			for (size_t p = first; p < first + count && p < N; p++)
				if (!model_free[p]) {
					model_free[p] = true;
					model_nfree++;
				}
			break;
		case 2: /* claim a range, sometimes over whole words */
			count = (r >> 40) % 4 ? (r >> 42) % 20 : (r >> 42) % 200;
			pmm_claim(&pb, first, count);
			for (size_t p = first; p < first + count && p < N; p++)
				if (model_free[p]) {
					model_free[p] = false;
					model_nfree--;
				}
			break;
		default: { /* alloc, mostly small runs, sometimes large ones */
			count = (r >> 40) % 8 == 0 ? (r >> 44) % 130 : 1 + (r >> 44) % 6;
			size_t expect = 0, got = 0;
			bool model_ok = model_first_fit(model_free, N, count, &expect);
			bool ok = pmm_alloc(&pb, count, &got);
			if (!CHECK_EQ(ok, model_ok) || (ok && !CHECK_EQ(got, expect))) {
				fprintf(stderr, "  op %d: alloc(%zu)\n", op, count);
				mismatches++;
			}
			if (ok && model_ok)
				for (size_t p = got; p < got + count; p++) {
					if (!CHECK(model_free[p]))
						mismatches++;
					model_free[p] = false;
					model_nfree--;
				}
			break;
		}
		}
		if (!CHECK_EQ(pb.nfree, model_nfree))
			mismatches++;
		for (size_t p = 0; p < N; p++)
			if (pmm_is_free(&pb, p) != model_free[p]) {
				CHECK_EQ(pmm_is_free(&pb, p), model_free[p]);
				fprintf(stderr, "  op %d: page %zu\n", op, p);
				mismatches++;
				break;
			}
		for (size_t p = 0; p < pb.hint && p < N; p++)
			if (model_free[p]) {
				CHECK(!"a free page below the hint");
				fprintf(stderr, "  op %d: page %zu free, hint %zu\n", op, p, pb.hint);
				mismatches++;
				break;
			}
	}
	CHECK_EQ(mismatches, 0);
	free(pb.used);
}

/* A bitmap with reference counts, both at their exact size on the heap. */
static struct page_bitmap new_counted(size_t npages)
{
	struct page_bitmap pb = new_bitmap(npages);
	pmm_init_refs(&pb, malloc(npages * sizeof(uint32_t)));
	return pb;
}

static void free_counted(struct page_bitmap *pb)
{
	free(pb->used);
	free(pb->refs);
}

static void test_refs_absent(void)
{
	struct page_bitmap pb = new_bitmap(64);
	pmm_release(&pb, 0, 64);
	size_t first;
	CHECK(pmm_alloc(&pb, 2, &first));
	CHECK_EQ(pmm_refcount(&pb, first), 0); /* not kept */
	pmm_release(&pb, first, 2);
	CHECK_EQ(pb.nfree, 64);
	free(pb.used);
}

static void test_refs_alloc_ref_unref(void)
{
	struct page_bitmap pb = new_counted(130);
	for (size_t p = 0; p < 130; p++)
		CHECK_EQ(pmm_refcount(&pb, p), 0);
	pmm_release(&pb, 0, 130);
	size_t first;
	CHECK(pmm_alloc(&pb, 3, &first));
	CHECK_EQ(first, 0);
	for (size_t p = 0; p < 3; p++)
		CHECK_EQ(pmm_refcount(&pb, p), 1);
	CHECK_EQ(pmm_refcount(&pb, 3), 0);
	CHECK_EQ(pmm_refcount(&pb, 130), 0); /* past the end */

	/* A shared page stays taken until its last reference goes. */
	pmm_ref(&pb, 1);
	pmm_ref(&pb, 1);
	CHECK_EQ(pmm_refcount(&pb, 1), 3);
	CHECK_EQ(pmm_unref(&pb, 1), 2);
	CHECK_EQ(pmm_unref(&pb, 1), 1);
	CHECK(!pmm_is_free(&pb, 1));
	CHECK_EQ(pb.nfree, 127);
	CHECK_EQ(pmm_unref(&pb, 1), 0);
	CHECK(pmm_is_free(&pb, 1));
	CHECK_EQ(pb.nfree, 128);
	CHECK_EQ(pb.hint, 1);
	CHECK_EQ(pmm_refcount(&pb, 0), 1);
	CHECK_EQ(pmm_refcount(&pb, 2), 1);

	/* The freed page comes back with one reference. */
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 1);
	CHECK_EQ(pmm_refcount(&pb, 1), 1);
	free_counted(&pb);
}

static void test_refs_release_and_claim(void)
{
	struct page_bitmap pb = new_counted(200);
	pmm_release(&pb, 0, 200);
	size_t first;
	CHECK(pmm_alloc(&pb, 150, &first)); /* whole words and a tail */
	CHECK_EQ(pmm_refcount(&pb, 149), 1);
	pmm_ref(&pb, 70);
	pmm_release(&pb, 0, 150); /* page_free of a run: counts go too */
	for (size_t p = 0; p < 200; p++)
		CHECK_EQ(pmm_refcount(&pb, p), 0);
	pmm_claim(&pb, 10, 5); /* reserved, never counted */
	CHECK_EQ(pmm_refcount(&pb, 12), 0);
	CHECK(pmm_alloc(&pb, 1, &first));
	CHECK_EQ(first, 0);
	CHECK_EQ(pmm_refcount(&pb, 0), 1);
	free_counted(&pb);
}

/* Single pages shared and dropped at random, as fork, copy-on-write and
 * unmap do, against a model of the counts: a page is free exactly when
 * its count reaches 0, and nothing leaks at the end. */
static void test_refs_random_model(void)
{
	enum { N = 300, OPS = 20000 };
	struct page_bitmap pb = new_counted(N);
	pmm_release(&pb, 0, N);
	uint32_t model[N] = {0};
	size_t model_nfree = N;
	int mismatches = 0;
	for (int op = 0; op < OPS && mismatches < 5; op++) {
		uint64_t r = rng();
		size_t p = r % N;
		switch ((r >> 32) % 4) {
		case 0: { /* alloc */
			size_t got;
			if (pmm_alloc(&pb, 1, &got)) {
				if (!CHECK_EQ(model[got], 0))
					mismatches++;
				model[got] = 1;
				model_nfree--;
			} else if (!CHECK_EQ(model_nfree, 0)) {
				mismatches++;
			}
			break;
		}
		case 1: /* share */
			if (model[p]) {
				pmm_ref(&pb, p);
				model[p]++;
			}
			break;
		default: /* drop */
			if (model[p]) {
				if (!CHECK_EQ(pmm_unref(&pb, p), model[p] - 1))
					mismatches++;
				if (--model[p] == 0)
					model_nfree++;
			}
			break;
		}
		if (!CHECK_EQ(pb.nfree, model_nfree))
			mismatches++;
		if (!CHECK_EQ(pmm_refcount(&pb, p), model[p]) || !CHECK_EQ(pmm_is_free(&pb, p), model[p] == 0))
			mismatches++;
	}
	for (size_t p = 0; p < N; p++)
		for (; model[p]; model[p]--)
			pmm_unref(&pb, p);
	CHECK_EQ(pb.nfree, N);
	CHECK_EQ(mismatches, 0);
	free_counted(&pb);
}

int main(void)
{
	test_storage_words();
	test_init_all_taken();
	test_release_claim_accounting();
	test_whole_words();
	test_alloc_basic();
	test_alloc_across_words();
	test_alloc_first_fit();
	test_fragmentation();
	test_exhaustion_and_reuse();
	test_hint();
	test_random_model();
	test_refs_absent();
	test_refs_alloc_ref_unref();
	test_refs_release_and_claim();
	test_refs_random_model();
	return check_summary("test_pmm");
}
