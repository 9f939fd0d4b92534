/* Scheduling and process-control answers an app may probe: policy and
 * priority ranges, nice values, affinity with CPU 0, getcpu, membarrier,
 * mlock, waiting without children, close_range and personality. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_GLOBAL 1

int main(void)
{
	struct sched_param param = {0};
	report_value("sched_getscheduler is SCHED_OTHER", sched_getscheduler(0) == SCHED_OTHER);
	report("sched_setscheduler SCHED_OTHER", sched_setscheduler(0, SCHED_OTHER, &param));
	report("sched_getparam", sched_getparam(0, &param));
	report_value("priority 0", param.sched_priority);
	report_value("FIFO max", sched_get_priority_max(SCHED_FIFO));
	report_value("FIFO min", sched_get_priority_min(SCHED_FIFO));
	report_value("OTHER max", sched_get_priority_max(SCHED_OTHER));
	report("get_priority_max of a bad policy", sched_get_priority_max(77));
	errno = 0;
	report_value("getpriority (nice)", getpriority(PRIO_PROCESS, 0));
	report("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
	report_value("getpriority after", getpriority(PRIO_PROCESS, 0));
	report("getpriority of a missing pid", getpriority(PRIO_PROCESS, 999999) == -1 && errno ? -1 : 0);

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	report("sched_setaffinity to CPU 0", sched_setaffinity(0, sizeof set, &set));
	unsigned cpu = 99, node = 99;
	report("getcpu", (int)syscall(SYS_getcpu, &cpu, &node, NULL));
	report_value("on CPU 0 after pinning", cpu == 0);

	long supported = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	report_value("membarrier supports GLOBAL", supported > 0 && (supported & MEMBARRIER_CMD_GLOBAL));
	report("membarrier GLOBAL", (int)syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0));
	report("membarrier with flags", (int)syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 1, 0));

	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report("mlock", mlock(page, 8192));
	report("munlock", munlock(page, 8192));
	munmap(page, 8192);
	report("mlock of an unmapped range", mlock(page, 4096));

	int status;
	report("wait4 without children", wait4(-1, &status, WNOHANG, NULL));
	siginfo_t info;
	report("waitid without children", waitid(P_ALL, 0, &info, WEXITED | WNOHANG));

	int a = dup(1), b = dup(1);
	report("close_range", (int)syscall(SYS_close_range, (unsigned)a, (unsigned)b, 0));
	report("fd closed by close_range", write(b, "", 0));
	report_value("personality query", (int)syscall(SYS_personality, 0xffffffff));
	return 0;
}
