/* The vDSO: clock_gettime, gettimeofday, time and getcpu in the app's own
 * ring 3, from the TSC and the kernel's shared vvar page. Clocks it cannot
 * answer fall back to the real syscall. Built as a tiny shared object and
 * mapped into every app (AT_SYSINFO_EHDR), as on Linux. */
#include <stddef.h>
#include <stdint.h>

#include "kernel/vdso/vdso_data.h"

struct vdso_timespec {
	long tv_sec, tv_nsec;
};
struct vdso_timeval {
	long tv_sec, tv_usec;
};
struct vdso_timezone {
	int minuteswest, dsttime;
};

/* The vvar page sits just below the vDSO's first page (see vdso.lds). */
extern const struct vdso_data vvar_page __attribute__((visibility("hidden")));

#define NR_GETTIMEOFDAY 96
#define NR_TIME 201
#define NR_CLOCK_GETTIME 228
#define NR_CLOCK_GETRES 229

static long fallback(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

static uint64_t monotonic_ns(void)
{
	const volatile struct vdso_data *d = &vvar_page;
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t ticks = (((uint64_t)hi << 32) | lo) - d->tsc_at_boot;
	return (uint64_t)(((unsigned __int128)ticks * d->ns_per_tick_x32) >> 32);
}

static uint64_t realtime_ns(void) { return vvar_page.realtime_at_boot_ns + monotonic_ns(); }

int __vdso_clock_gettime(int clock, struct vdso_timespec *ts)
{
	uint64_t ns;
	switch (clock) {
	case 0:  /* REALTIME */
	case 5:  /* REALTIME_COARSE */
	case 11: /* TAI */
		ns = realtime_ns();
		break;
	case 1: /* MONOTONIC */
	case 4: /* MONOTONIC_RAW */
	case 6: /* MONOTONIC_COARSE */
	case 7: /* BOOTTIME */
		ns = monotonic_ns();
		break;
	default:
		return (int)fallback(NR_CLOCK_GETTIME, clock, (long)ts);
	}
	ts->tv_sec = (long)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	if (tv) {
		uint64_t ns = realtime_ns();
		tv->tv_sec = (long)(ns / 1000000000u);
		tv->tv_usec = (long)(ns % 1000000000u / 1000);
	}
	if (tz)
		tz->minuteswest = tz->dsttime = 0;
	return 0;
}

long __vdso_time(long *t)
{
	long now = (long)(realtime_ns() / 1000000000u);
	if (t)
		*t = now;
	return now;
}

int __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	unsigned limit;
	__asm__("lsl %1, %0" : "=r"(limit) : "r"(CPU_NUMBER_SELECTOR));
	if (cpu)
		*cpu = limit & 0xfff;
	if (node)
		*node = limit >> 12;
	return 0;
}

int __vdso_clock_getres(int clock, struct vdso_timespec *res)
{
	return (int)fallback(NR_CLOCK_GETRES, clock, (long)res);
}

int clock_gettime(int, struct vdso_timespec *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct vdso_timeval *, struct vdso_timezone *) __attribute__((weak, alias("__vdso_gettimeofday")));
long time(long *) __attribute__((weak, alias("__vdso_time")));
int getcpu(unsigned *, unsigned *, void *) __attribute__((weak, alias("__vdso_getcpu")));
int clock_getres(int, struct vdso_timespec *) __attribute__((weak, alias("__vdso_clock_getres")));
