/* times and getrusage: the CPU time the app used, counted as clock_gettime's
 * CPU clocks count it (the app's age: one vCPU, never idle for long), all of
 * it user time; no child processes ever ran. */
#include <linux/resource.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"

#define USER_HZ 100
#define NSEC_PER_SEC 1000000000ull

struct tms_abi {
	long utime, stime, cutime, cstime; /* clock ticks */
};

static uint64_t cpu_time_ns(void) { return time_monotonic_ns() - current_process()->start_ns; }

static long ticks(uint64_t ns) { return (long)(ns / (NSEC_PER_SEC / USER_HZ)); }

long sys_times(struct tms_abi *buf)
{
	struct tms_abi t = {.utime = ticks(cpu_time_ns())};
	if (buf && copy_to_user(buf, &t, sizeof t))
		return -EFAULT;
	return ticks(time_monotonic_ns()); /* ticks since boot */
}

long sys_getrusage(int who, struct rusage *usage)
{
	struct rusage r = {0};
	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD: {
		uint64_t ns = cpu_time_ns();
		r.ru_utime.tv_sec = (long)(ns / NSEC_PER_SEC);
		r.ru_utime.tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
		r.ru_maxrss = (long)((page_total_count() - page_free_count()) * (PAGE_SIZE / 1024));
		break;
	}
	case RUSAGE_CHILDREN:
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(usage, &r, sizeof r) ? -EFAULT : 0;
}
