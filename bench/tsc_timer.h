/* tsc_timer.h: the timing the bench/ programs share (syscall-cost, process-cost).
 *
 * Each loop is timed by rdtsc around the whole loop; the TSC is calibrated
 * against CLOCK_MONOTONIC over the whole run (tsc_calibration_start before the
 * first loop, tsc_ns_per_cycle after the last), so the figures hold wherever
 * the TSC ticks at a steady rate. tsc_print writes one line per loop:
 *   NAME ns=NS cycles=CYCLES calls=N
 * which bench/benchmarks.py parses.
 */
#ifndef SOLE_BENCH_TSC_TIMER_H
#define SOLE_BENCH_TSC_TIMER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

struct loop_result {
	const char *name;
	uint64_t cycles;
	long calls;
};

struct tsc_calibration {
	double start_ns;
	uint64_t start_tsc;
};

static inline double monotonic_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1e9 + now.tv_nsec;
}

static inline void fail(const char *what)
{
	perror(what);
	exit(1);
}

static inline struct tsc_calibration tsc_calibration_start(void)
{
	return (struct tsc_calibration){monotonic_ns(), __rdtsc()};
}

/* Nanoseconds per TSC cycle since CALIBRATION started. */
static inline double tsc_ns_per_cycle(struct tsc_calibration calibration)
{
	return (monotonic_ns() - calibration.start_ns) / (double)(__rdtsc() - calibration.start_tsc);
}

/* One line per result: the mean ns and cycles of one call. */
static inline void tsc_print(const struct loop_result *results, size_t count, double ns_per_cycle)
{
	for (size_t i = 0; i < count; i++) {
		double cycles = (double)results[i].cycles / results[i].calls;
		printf("%s ns=%.1f cycles=%.0f calls=%ld\n", results[i].name, cycles * ns_per_cycle, cycles,
		       results[i].calls);
	}
}

#endif
