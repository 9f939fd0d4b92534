/* Stale TLB entries under mmap, munmap and mprotect, with 8 threads that run
 * on different CPUs where there are several (sole run --cpus 2): every
 * translation another CPU may still cache must be gone before the call that
 * changed the page tables returns.
 *
 *  - The mapper replaces a region the readers watch: it fills fresh pages
 *    elsewhere with the next generation, moves them over the region with
 *    mremap (which unmaps the old pages), and only then publishes the
 *    generation. A reader that reads a page after seeing generation g must
 *    find g or newer in it: an older value is a page the mapper unmapped.
 *  - It also replaces a second region the writers store into (mmap
 *    MAP_FIXED over it, freeing its pages), and now and then makes it
 *    read-only for a while. A writer whose store lands while the region is
 *    read-only, as the epoch it read before and after shows, wrote through
 *    a stale writable entry.
 *  - The checkers map pages of their own, fill and check them: a page freed
 *    from a region and given to them must not change under them (a writer's
 *    store through a stale entry would).
 *
 * The output is the same natively and in sole: one line per kind of
 * thread, and "tlb-stress: ok". */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 16
#define PAGE 4096
#define RUN_NS 2000000000ll
#define WRITERS 2
#define READERS 2
#define CHECKERS 3
#define CHECKER_PAGES 32
#define WRITER_MARK 0xbadbadbadbadbadbull

static char *watched;  /* the readers' region */
static char *written;  /* the writers' region */
static atomic_ulong generation;
static atomic_ulong epoch; /* odd while the writers' region is read-only */
static atomic_int done;
static atomic_ulong stale_reads, stale_writes, corrupted, faults_expected;

static __thread sigjmp_buf store_failed;

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(store_failed, 1);
}

static void fill(char *region, uint64_t value)
{
	for (int p = 0; p < PAGES; p++)
		for (int i = 0; i < PAGE / 8; i += 64)
			((volatile uint64_t *)(region + p * PAGE))[i] = value;
}

static void *mapper(void *arg)
{
	(void)arg;
	long long end = now_ns() + RUN_NS;
	for (uint64_t g = 1; now_ns() < end; g++) {
		char *fresh = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (fresh == MAP_FAILED)
			break;
		fill(fresh, g);
		if (mremap(fresh, PAGES * PAGE, PAGES * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, watched) == MAP_FAILED)
			break;
		atomic_store(&generation, g);

		if (g % 8 == 0) {
			atomic_fetch_add(&epoch, 1); /* odd: read-only from the next line on */
			mprotect(written, PAGES * PAGE, PROT_READ);
			atomic_fetch_add(&epoch, 1);
			sched_yield();
			atomic_fetch_add(&epoch, 1);
			mprotect(written, PAGES * PAGE, PROT_READ | PROT_WRITE);
			atomic_fetch_add(&epoch, 1);
		} else {
			mmap(written, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		}
	}
	atomic_store(&done, 1);
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&done))
		for (int p = 0; p < PAGES; p++) {
			uint64_t seen = atomic_load(&generation);
			uint64_t value = *(volatile uint64_t *)(watched + p * PAGE);
			if (value < seen)
				atomic_fetch_add(&stale_reads, 1);
		}
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	while (!atomic_load(&done))
		for (int p = 0; p < PAGES; p++) {
			volatile uint64_t *at = (volatile uint64_t *)(written + p * PAGE);
			uint64_t before = atomic_load(&epoch);
			/* The mapper's state steps before and after each mprotect:
			 * epoch 4k+2 is read-only for certain. */
			if (sigsetjmp(store_failed, 1) == 0) {
				*at = WRITER_MARK;
				if (before % 4 == 2 && atomic_load(&epoch) == before)
					atomic_fetch_add(&stale_writes, 1);
			} else if (before % 4 == 2) {
				atomic_fetch_add(&faults_expected, 1);
			}
		}
	return NULL;
}

static void *checker(void *arg)
{
	uint64_t mine = 0x1000 + (uintptr_t)arg;
	while (!atomic_load(&done)) {
		uint64_t *pages = mmap(NULL, CHECKER_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pages == MAP_FAILED)
			break;
		for (size_t i = 0; i < CHECKER_PAGES * PAGE / 8; i++)
			pages[i] = mine ^ i;
		for (int round = 0; round < 4; round++) {
			sched_yield();
			for (size_t i = 0; i < CHECKER_PAGES * PAGE / 8; i++)
				if (((volatile uint64_t *)pages)[i] != (mine ^ i)) {
					atomic_fetch_add(&corrupted, 1);
					pages[i] = mine ^ i;
				}
		}
		munmap(pages, CHECKER_PAGES * PAGE);
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	watched = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	written = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (watched == MAP_FAILED || written == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	pthread_t threads[1 + READERS + WRITERS + CHECKERS];
	int n = 0;
	pthread_create(&threads[n++], NULL, mapper, NULL);
	for (int i = 0; i < READERS; i++)
		pthread_create(&threads[n++], NULL, reader, NULL);
	for (int i = 0; i < WRITERS; i++)
		pthread_create(&threads[n++], NULL, writer, NULL);
	for (int i = 0; i < CHECKERS; i++)
		pthread_create(&threads[n++], NULL, checker, (void *)(uintptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	printf("readers: %s\n", stale_reads ? "read a page that was unmapped" : "no stale page");
	printf("writers: %s\n", stale_writes ? "stored into a read-only page" : "no store while read-only");
	printf("checkers: %s\n", corrupted ? "their pages changed under them" : "pages unchanged");
	if (stale_reads || stale_writes || corrupted)
		fprintf(stderr, "tlb-stress: %lu stale reads, %lu stale writes, %lu corrupted words (generation %lu)\n",
		        stale_reads, stale_writes, corrupted, (unsigned long)generation);
	int ok = !stale_reads && !stale_writes && !corrupted;
	puts(ok ? "tlb-stress: ok" : "tlb-stress: FAILED");
	return ok ? 0 : 1;
}
