/* times and getrusage: the CPU time the scheduler counted for the caller's
 * threads (all of it user time: kernel time is not told apart), and for
 * the children it has reaped. */
#include <linux/resource.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"

#define USER_HZ 100
#define NSEC_PER_SEC 1000000000ull

struct tms_abi {
	long utime, stime, cutime, cstime; /* clock ticks */
};

static long ticks(uint64_t ns) { return (long)(ns / (NSEC_PER_SEC / USER_HZ)); }

long sys_times(struct tms_abi *buf)
{
	struct process *p = current_process();
	struct tms_abi t = {.utime = ticks(process_cpu_ns(p)), .cutime = ticks(p->children_cpu_ns)};
	if (buf && copy_to_user(buf, &t, sizeof t))
		return -EFAULT;
	return ticks(time_monotonic_ns()); /* ticks since boot */
}

long sys_getrusage(int who, struct rusage *usage)
{
	struct rusage r = {0};
	uint64_t ns;
	switch (who) {
	case RUSAGE_SELF:
		ns = process_cpu_ns(current_process());
		r.ru_maxrss = (long)((page_total_count() - page_free_count()) * (PAGE_SIZE / 1024));
		break;
	case RUSAGE_THREAD:
		ns = sched_thread_cpu_ns(current_thread());
		r.ru_maxrss = (long)((page_total_count() - page_free_count()) * (PAGE_SIZE / 1024));
		break;
	case RUSAGE_CHILDREN:
		ns = current_process()->children_cpu_ns;
		break;
	default:
		return -EINVAL;
	}
	r.ru_utime.tv_sec = (long)(ns / NSEC_PER_SEC);
	r.ru_utime.tv_usec = (long)(ns % NSEC_PER_SEC / 1000);
	return copy_to_user(usage, &r, sizeof r) ? -EFAULT : 0;
}
