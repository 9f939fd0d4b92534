/* times and getrusage: the user and system time of the caller's threads
 * (kernel/sched/cputime.h), and of the children it has reaped. */
#include <linux/resource.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/sched/cputime.h"
#include "kernel/time.h"

#define USER_HZ 100
#define NSEC_PER_SEC 1000000000ull

struct tms_abi {
	long utime, stime, cutime, cstime; /* clock ticks */
};

static long ticks(uint64_t ns) { return (long)(ns / (NSEC_PER_SEC / USER_HZ)); }

static struct __kernel_old_timeval timeval_from_ns(uint64_t ns)
{
	return (struct __kernel_old_timeval){(long)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC / 1000)};
}

long sys_times(struct tms_abi *buf)
{
	struct process *p = current_process();
	struct cpu_times self = cputime_process(p);
	struct tms_abi t = {.utime = ticks(self.user_ns),
	                    .stime = ticks(self.system_ns),
	                    .cutime = ticks(p->children_cpu.user_ns),
	                    .cstime = ticks(p->children_cpu.system_ns)};
	if (buf && copy_to_user(buf, &t, sizeof t))
		return -EFAULT;
	return ticks(time_monotonic_ns()); /* ticks since boot */
}

long sys_getrusage(int who, struct rusage *usage)
{
	struct rusage r = {0};
	struct cpu_times c;
	switch (who) {
	case RUSAGE_SELF:
		c = cputime_process(current_process());
		r.ru_maxrss = (long)((page_total_count() - page_free_count()) * (PAGE_SIZE / 1024));
		break;
	case RUSAGE_THREAD:
		c = cputime_thread(current_thread());
		r.ru_maxrss = (long)((page_total_count() - page_free_count()) * (PAGE_SIZE / 1024));
		break;
	case RUSAGE_CHILDREN:
		c = current_process()->children_cpu;
		break;
	default:
		return -EINVAL;
	}
	r.ru_utime = timeval_from_ns(c.user_ns);
	r.ru_stime = timeval_from_ns(c.system_ns);
	return copy_to_user(usage, &r, sizeof r) ? -EFAULT : 0;
}
