/* syscall-cost: what one system call costs, measured with the TSC.
 *
 *   syscall-cost [GETPPID_CALLS [ROUND_TRIPS]]   (defaults 1000000 and 20000)
 *
 * Three loops, each timed by rdtsc around the whole loop:
 *   getppid   a no-op syscall (raw syscall(2), so no libc caching)
 *   pipe      write 4 KiB into a pipe and read the 4 KiB back, one thread
 *   mmap      mmap 4 KiB anonymous read-write, then munmap it (untouched)
 * The TSC is calibrated against CLOCK_MONOTONIC over the whole run (tsc_timer.h),
 * so the figures hold wherever the TSC ticks at a steady rate. One line per loop:
 *   NAME ns=NS cycles=CYCLES calls=N
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tsc_timer.h"

static struct loop_result time_getppid(long calls)
{
	uint64_t start = __rdtsc();
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return (struct loop_result){"getppid", __rdtsc() - start, calls};
}

static struct loop_result time_pipe(long round_trips)
{
	static char out[4096], in[4096];
	int fds[2];
	if (pipe(fds) != 0)
		fail("pipe");
	uint64_t start = __rdtsc();
	for (long i = 0; i < round_trips; i++) {
		out[0] = (char)i;
		if (write(fds[1], out, sizeof out) != sizeof out)
			fail("write to pipe");
		if (read(fds[0], in, sizeof in) != sizeof in || in[0] != out[0])
			fail("read from pipe");
	}
	struct loop_result result = {"pipe-4k", __rdtsc() - start, round_trips};
	close(fds[0]);
	close(fds[1]);
	return result;
}

static struct loop_result time_mmap(long pairs)
{
	uint64_t start = __rdtsc();
	for (long i = 0; i < pairs; i++) {
		void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			fail("mmap");
		if (munmap(page, 4096) != 0)
			fail("munmap");
	}
	return (struct loop_result){"mmap-munmap", __rdtsc() - start, pairs};
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 1000000;
	long round_trips = argc > 2 ? atol(argv[2]) : 20000;
	if (calls <= 0 || round_trips <= 0) {
		fprintf(stderr, "usage: syscall-cost [GETPPID_CALLS [ROUND_TRIPS]] (both > 0)\n");
		return 2;
	}

	struct tsc_calibration calibration = tsc_calibration_start();
	struct loop_result results[] = {time_getppid(calls), time_pipe(round_trips), time_mmap(round_trips)};
	tsc_print(results, sizeof results / sizeof results[0], tsc_ns_per_cycle(calibration));
	return 0;
}
