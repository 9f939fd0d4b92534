/* Kernel clocks: a TSC calibrated at boot against the PIT, and the
 * wall-clock offset read from the CMOS RTC. */
#ifndef SOLE_TIME_H
#define SOLE_TIME_H

#include <stdint.h>

/* The TSC is measured against the PIT while the kernel boots on: begin
 * starts the measurement, finish (a few ms later) ends it. */
void time_init_begin(void);
void time_init_finish(void);
uint64_t time_monotonic_ns(void);
uint64_t time_realtime_ns(void);
/* Sets CLOCK_REALTIME (settimeofday, clock_settime); the monotonic clock
 * does not move. */
void time_set_realtime_ns(uint64_t ns);
uint64_t time_tsc_hz(void);
/* A span of TSC ticks in ns. */
uint64_t time_tsc_to_ns(uint64_t ticks);

#endif
