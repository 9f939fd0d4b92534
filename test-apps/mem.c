/* mem: brk, anonymous mmap, a placement hint, munmap and mprotect, and a large
 * sparse mapping; memory locking (VmLck, smaps), mincore, msync's errors,
 * SIGBUS past a file's end and a MAP_GROWSDOWN area growing;
 * remap_file_pages, process_madvise and process_mrelease. Prints outcomes
 * and checksums, never addresses. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
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

/* A /proc/self/status or smaps field in kB: the first line starting with
 * field after the line starting with after (NULL: from the top); -1 when
 * absent. */
static long proc_kib(const char *file, const char *after, const char *field)
{
	FILE *f = fopen(file, "r");
	char line[256];
	long kib = -1;
	int found = after == NULL;
	while (f && kib < 0 && fgets(line, sizeof line, f)) {
		if (!found)
			found = strncmp(line, after, strlen(after)) == 0;
		else if (strncmp(line, field, strlen(field)) == 0)
			kib = strtol(line + strlen(field), NULL, 10);
	}
	if (f)
		fclose(f);
	return kib;
}

static long vmlck(void) { return proc_kib("/proc/self/status", NULL, "VmLck:"); }

/* mincore's answer as a string of 0 and 1, one per page. */
static const char *residency(void *p, size_t pages)
{
	static char text[64];
	unsigned char vec[64];
	if (mincore(p, pages * PAGE, vec))
		return errno_name(errno);
	for (size_t i = 0; i < pages; i++)
		text[i] = (char)('0' + (vec[i] & 1));
	text[pages] = 0;
	return text;
}

static void test_lock(void)
{
	long base = vmlck();
	unsigned char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(p != MAP_FAILED, "mmap for mlock");
	printf("untouched resident: %s\n", residency(p, 8));
	report("mlock 3 pages and a byte", mlock(p, 3 * PAGE + 1));
	printf("VmLck grew: %ld kB, resident: %s\n", vmlck() - base, residency(p, 8));
	report("mlock again", mlock(p, 2 * PAGE));
	printf("VmLck counts once: %ld kB\n", vmlck() - base);
	report("munlock second page", munlock(p + PAGE, PAGE));
	printf("VmLck after munlock: %ld kB, resident: %s\n", vmlck() - base, residency(p, 8));
	report("mlock2 MLOCK_ONFAULT", syscall(SYS_mlock2, p + 5 * PAGE, 2 * PAGE, 1));
	printf("VmLck on fault: %ld kB, resident: %s\n", vmlck() - base, residency(p, 8));
	p[6 * PAGE] = 1;
	printf("touched on-fault page, resident: %s\n", residency(p, 8));
	report("mlock2 unknown flag", syscall(SYS_mlock2, p, PAGE, 2));

	char after[32];
	snprintf(after, sizeof after, "%lx-", (unsigned long)p);
	printf("smaps Rss: %ld kB, Locked: %ld kB\n", proc_kib("/proc/self/smaps", after, "Rss:"),
	       proc_kib("/proc/self/smaps", after, "Locked:"));
	report("munlock all 8 pages", munlock(p, 8 * PAGE));
	printf("VmLck back: %ld kB\n", vmlck() - base);
	report("msync MS_SYNC|MS_ASYNC", msync(p, PAGE, MS_SYNC | MS_ASYNC));
	report("msync unknown flag", msync(p, PAGE, 0x100));
	report("msync unaligned", msync(p + 1, PAGE, MS_SYNC));
	report("mlock MS_INVALIDATE target", mlock(p, PAGE));
	report("msync MS_INVALIDATE on locked", msync(p, PAGE, MS_INVALIDATE));
	report("munmap locked", munmap(p, 8 * PAGE));
	printf("VmLck after munmap: %ld kB\n", vmlck() - base);
	report("mlock unmapped", mlock(p, PAGE));
	report("munlock unmapped", munlock(p, PAGE));
	report("msync unmapped", msync(p, PAGE, MS_SYNC));
	report("mincore unmapped", mincore(p, PAGE, (unsigned char[1]){0}));
	report("mincore unaligned", mincore(p + 1, PAGE, (unsigned char[1]){0}));

	unsigned char *q =
	    mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	require(q != MAP_FAILED, "mmap MAP_LOCKED");
	printf("MAP_LOCKED VmLck: %ld kB, resident: %s\n", vmlck() - base, residency(q, 4));
	munmap(q, 4 * PAGE);

	report("mlockall 0", mlockall(0));
	report("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
	report("mlockall MCL_CURRENT|MCL_FUTURE", mlockall(MCL_CURRENT | MCL_FUTURE));
	printf("mlockall locks something: %s\n", vmlck() > base ? "yes" : "no");
	q = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(q != MAP_FAILED, "mmap under MCL_FUTURE");
	printf("MCL_FUTURE mapping resident: %s\n", residency(q, 2));
	report("munlockall", munlockall());
	printf("VmLck after munlockall: %ld kB\n", vmlck() - base);
	munmap(q, 2 * PAGE);
}

static sigjmp_buf bus_jump;
static volatile int bus_code;

static void on_bus(int sig, siginfo_t *info, void *context)
{
	(void)sig, (void)context;
	bus_code = info->si_code;
	siglongjmp(bus_jump, 1);
}

/* A shared file's pages are resident (the page cache); a page wholly past
 * the file's end is SIGBUS, its last partial page reads zeros. */
static void test_file_pages(void)
{
	char path[] = "/tmp/mem-file-XXXXXX";
	int fd = mkstemp(path);
	require(fd >= 0, "mkstemp");
	unlink(path);
	static char data[2 * PAGE];
	memset(data, 'm', sizeof data);
	require(write(fd, data, sizeof data) == (long)sizeof data, "write");
	volatile unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	require(p != MAP_FAILED, "mmap file");
	printf("written file resident: %s\n", residency((void *)p, 2));
	munmap((void *)p, 2 * PAGE);

	require(ftruncate(fd, 100) == 0, "ftruncate");
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	require(p != MAP_FAILED, "mmap short file");
	struct sigaction sa = {.sa_sigaction = on_bus, .sa_flags = SA_SIGINFO}, old;
	sigaction(SIGBUS, &sa, &old);
	printf("byte past end, same page: %d\n", p[200]);
	bus_code = 0;
	if (!sigsetjmp(bus_jump, 1))
		p[PAGE + 1] = 1;
	printf("page past end: SIGBUS %s, si_code %d\n", bus_code ? "yes" : "no", bus_code);
	sigaction(SIGBUS, &old, NULL);
	munmap((void *)p, 2 * PAGE);
	close(fd);
}

/* A MAP_GROWSDOWN area grows into the free gap below it on a touch; a
 * MAP_FIXED mapping past the top of the address space is ENOMEM. */
static void test_growsdown(void)
{
	size_t reserve = 512 * PAGE;
	unsigned char *r = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(r != MAP_FAILED, "mmap reserve");
	munmap(r, reserve);
	unsigned char *top = mmap(r + reserve - PAGE, PAGE, PROT_READ | PROT_WRITE,
	                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	require(top != MAP_FAILED, "mmap MAP_GROWSDOWN");
	top[-3 * (long)PAGE] = 7;
	printf("MAP_GROWSDOWN grew: %s\n", top[-3 * (long)PAGE] == 7 ? "yes" : "no");
	munmap(r, reserve);
	void *high = mmap((void *)-PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mmap MAP_FIXED at the top: %s\n", high == MAP_FAILED ? errno_name(errno) : "succeeded");
}

#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif

static void result(const char *label, long rc) { printf("%s: %s\n", label, rc < 0 ? errno_name(errno) : "OK"); }

/* remap_file_pages (Linux's emulation), process_madvise's hints and
 * process_mrelease on a live and a killed child. */
static void test_remap_and_remote(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char path[64];
	snprintf(path, sizeof path, "/tmp/mem-remap-%d", (int)getpid());
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	for (char c = 'A'; c <= 'D'; c++) {
		char buf[4096];
		memset(buf, c, sizeof buf);
		write(fd, buf, (size_t)page);
	}
	char *area = mmap(NULL, 4 * (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	result("remap_file_pages page 0 to file page 3", syscall(SYS_remap_file_pages, area, page, 0, 3, 0));
	printf("pages now: %c %c %c %c\n", area[0], area[page], area[2 * page], area[3 * page]);
	area[0] = 'd';
	char back;
	pread(fd, &back, 1, 3 * page);
	printf("a write there reaches file page 3: %c\n", back);
	result("remap with prot", syscall(SYS_remap_file_pages, area, page, PROT_READ, 1, 0));
	result("remap past the area", syscall(SYS_remap_file_pages, area + 3 * page, 2 * page, 0, 0, 0));
	char *private = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE, fd, 0);
	result("remap a private area", syscall(SYS_remap_file_pages, private, page, 0, 1, 0));
	munmap(private, (size_t)page);

	int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	struct iovec iov[2] = {{area, 2 * (size_t)page}, {area + 2 * page, (size_t)page}};
	printf("process_madvise MADV_COLD on myself: %ld\n", syscall(SYS_process_madvise, self, iov, 2, MADV_COLD, 0));
	result("process_madvise MADV_DONTNEED", syscall(SYS_process_madvise, self, iov, 2, MADV_DONTNEED, 0));
	result("process_madvise with flags", syscall(SYS_process_madvise, self, iov, 2, MADV_COLD, 1));
	munmap(area, 4 * (size_t)page);
	result("process_madvise over a gap", syscall(SYS_process_madvise, self, iov, 1, MADV_COLD, 0));
	result("process_madvise on a bad pidfd", syscall(SYS_process_madvise, 999, iov, 1, MADV_COLD, 0));
	close(self);
	close(fd);
	unlink(path);

	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	result("process_mrelease of a live child", syscall(SYS_process_mrelease, pidfd, 0));
	result("process_mrelease with flags", syscall(SYS_process_mrelease, pidfd, 1));
	kill(child, SIGKILL);
	/* Ending (0) or already gone (ESRCH), as the race with its exit goes. */
	long rc = syscall(SYS_process_mrelease, pidfd, 0);
	printf("process_mrelease after SIGKILL: %s\n", rc == 0 || errno == ESRCH ? "0 or ESRCH" : errno_name(errno));
	waitpid(child, NULL, 0);
	result("process_mrelease after reaping", syscall(SYS_process_mrelease, pidfd, 0));
	close(pidfd);
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
	test_lock();
	test_file_pages();
	test_growsdown();
	test_remap_and_remote();
	return 0;
}
