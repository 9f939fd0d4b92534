/* mem: brk, anonymous mmap, a placement hint, munmap and mprotect, and a large
 * sparse mapping. Prints outcomes and checksums, never addresses. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define PAGE 4096UL

/* The raw syscall: musl's brk() wrapper always fails, by design. */
static uintptr_t raw_brk(uintptr_t address)
{
	return (uintptr_t)syscall(SYS_brk, address);
}

/* No libc call may run between the first and the last brk: both mallocs keep
 * their own idea of the break, so results are printed after it is restored. */
static void test_brk(void)
{
	const size_t grow = 1024 * 1024;
	uintptr_t start = raw_brk(0);
	uintptr_t want = start + grow;
	int grew = raw_brk(want) == want;
	int zeroed = 0, shrank = 0, regrown_zero = 0;
	unsigned long long sum = 0;
	if (grew) {
		/* The new heap reads as zeros and keeps what is written. */
		unsigned char *heap = (unsigned char *)start;
		unsigned long zero_sum = 0;
		for (size_t i = 0; i < grow; i += PAGE)
			zero_sum += heap[i];
		zeroed = zero_sum == 0;
		for (size_t i = 0; i < grow; i++)
			heap[i] = (unsigned char)(i * 31);
		sum = fnv1a(FNV1A_INIT, heap, grow);
		shrank = raw_brk(start + PAGE) == start + PAGE;
		/* Growing again must hand out zeroed memory, not the old bytes. */
		unsigned long stale = 0;
		if (raw_brk(want) == want) {
			for (size_t i = 2 * PAGE; i < grow; i += 997)
				stale |= heap[i];
			regrown_zero = stale == 0;
		}
	}
	raw_brk(start);
	int restored = raw_brk(0) == start;

	printf("brk grow 1 MiB: %s\n", grew ? "ok" : "failed");
	printf("brk new memory zero: %s\n", zeroed ? "yes" : "no");
	printf("brk checksum: %016llx\n", sum);
	printf("brk shrink: %s\n", shrank ? "ok" : "failed");
	printf("brk regrow zeroed: %s\n", regrown_zero ? "yes" : "no");
	printf("brk back to start: %s\n", restored ? "ok" : "failed");
}

static void test_anonymous(void)
{
	size_t size = 16 * PAGE;
	unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(p != MAP_FAILED, "mmap anonymous");
	printf("mmap page aligned: %s\n", ((uintptr_t)p % PAGE) == 0 ? "yes" : "no");
	unsigned long sum = 0;
	for (size_t i = 0; i < size; i++)
		sum += p[i];
	printf("mmap anonymous zero: %s\n", sum == 0 ? "yes" : "no");
	for (size_t i = 0; i < size; i++)
		p[i] = (unsigned char)(i ^ (i >> 8));
	printf("mmap checksum: %016llx\n", fnv1a(FNV1A_INIT, p, size));
	report("munmap", munmap(p, size));
}

static void test_hint(void)
{
	void *hint = (void *)0x200000000UL;
	unsigned char *p = mmap(hint, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(p != MAP_FAILED, "mmap with hint");
	printf("mmap hint honoured: %s\n", (void *)p == hint ? "yes" : "no");
	memset(p, 0x5a, 4 * PAGE);
	printf("mmap hint checksum: %016llx\n", fnv1a(FNV1A_INIT, p, 4 * PAGE));

	/* MAP_FIXED over the same range replaces it with fresh zero pages. */
	unsigned char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mmap fixed at address: %s\n", q == p + PAGE ? "yes" : "no");
	printf("mmap fixed zeroed: %s, neighbours kept: %s\n", q[0] == 0 && q[PAGE - 1] == 0 ? "yes" : "no",
	       p[0] == 0x5a && p[2 * PAGE] == 0x5a ? "yes" : "no");
	munmap(p, 4 * PAGE);
}

static void test_protect(void)
{
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(p != MAP_FAILED, "mmap 3 pages");
	memset(p, 0x11, 3 * PAGE);
	report("munmap middle page", munmap(p + PAGE, PAGE));
	report("mprotect first page PROT_READ", mprotect(p, PAGE, PROT_READ));
	printf("read after mprotect: %02x\n", *(volatile unsigned char *)p);
	printf("third page kept: %02x\n", p[2 * PAGE + 5]);
	/* The hole is not mapped: mprotect over it fails. */
	errno = 0;
	report("mprotect over hole", mprotect(p, 3 * PAGE, PROT_READ));
	errno = 0;
	report("munmap unaligned", munmap(p + 1, PAGE));
	errno = 0;
	void *bad = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap length 0: %s\n", bad == MAP_FAILED ? errno_name(errno) : "succeeded");
	munmap(p, 3 * PAGE);
}

static void test_large(void)
{
	size_t size = 32UL * 1024 * 1024;
	unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(p != MAP_FAILED, "mmap 32 MiB");
	unsigned long long hash = FNV1A_INIT;
	for (size_t i = 0; i < size; i += 65536) {
		p[i] = (unsigned char)(i >> 16);
		p[i + 4095] = (unsigned char)~(i >> 16);
	}
	for (size_t i = 0; i < size; i += 65536) {
		hash = fnv1a(hash, p + i, 1);
		hash = fnv1a(hash, p + i + 4095, 1);
		hash = fnv1a(hash, p + i + 8192, 1);
	}
	printf("large mmap 32 MiB sparse checksum: %016llx\n", hash);
	report("munmap 32 MiB", munmap(p, size));
}

int main(void)
{
	/* The first output allocates stdio's buffer before brk is moved. */
	printf("mem\n");
	test_brk();
	test_anonymous();
	test_hint();
	test_protect();
	test_large();
	return 0;
}
