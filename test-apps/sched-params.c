/* Scheduling and process-control answers an app may probe: policy and
 * priority ranges, the real-time policies, another process's parameters,
 * nice values per process and per group, reset-on-fork, sched_setattr and
 * sched_getattr, what a user who is not root may not do, affinity with CPU
 * 0, getcpu, membarrier, mlock, waiting without children, close_range and
 * personality. Natively as root the real-time policies are real: each is
 * set and read back at once, and never held while the program computes. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_GLOBAL 1
#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#define SCHED_DEADLINE 6
#define OTHER_USER 4242 /* a user no other process on the host runs as */

/* Linux's struct sched_attr (56 bytes), with room past it for the size checks. */
struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
	unsigned char beyond[8];
};

static const struct sched_param no_priority = {.sched_priority = 0};

static long set_attr(struct attr *a, unsigned flags) { return syscall(SYS_sched_setattr, 0, a, flags); }
static long get_attr(struct attr *a, unsigned size) { return syscall(SYS_sched_getattr, 0, a, size, 0); }

/* A child that sleeps until *release is closed, for the parent to inspect. */
static pid_t sleeping_child(int *release)
{
	int fds[2];
	require(pipe(fds) == 0, "pipe");
	pid_t pid = fork_flushed();
	if (pid == 0) {
		char c;
		close(fds[1]);
		(void)!read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	*release = fds[1];
	return pid;
}

static void end_child(pid_t pid, int release)
{
	close(release);
	wait_code(pid);
}

static void real_time_policies(void)
{
	struct sched_param p = {.sched_priority = 10};
	struct timespec slice;
	report("set SCHED_FIFO 10", sched_setscheduler(0, SCHED_FIFO, &p));
	int policy = sched_getscheduler(0);
	sched_getparam(0, &p);
	int fifo_priority = p.sched_priority;
	sched_rr_get_interval(0, &slice);
	p.sched_priority = 30;
	report("set SCHED_RR 30", sched_setscheduler(0, SCHED_RR, &p));
	int rr_policy = sched_getscheduler(0);
	struct timespec rr_slice;
	sched_rr_get_interval(0, &rr_slice);
	report("back to SCHED_OTHER", sched_setscheduler(0, SCHED_OTHER, &no_priority));
	report_value("policy was FIFO", policy == SCHED_FIFO);
	report_value("FIFO priority", fifo_priority);
	report_value("FIFO interval is 0", slice.tv_sec == 0 && slice.tv_nsec == 0);
	report_value("policy was RR", rr_policy == SCHED_RR);
	report_value("RR interval ms", rr_slice.tv_sec * 1000 + rr_slice.tv_nsec / 1000000);
	report("FIFO with priority 0", sched_setscheduler(0, SCHED_FIFO, &no_priority));
	p.sched_priority = 100;
	report("FIFO with priority 100", sched_setscheduler(0, SCHED_FIFO, &p));
	p.sched_priority = 5;
	report("SCHED_OTHER with priority 5", sched_setscheduler(0, SCHED_OTHER, &p));
	report("policy 4", sched_setscheduler(0, 4, &no_priority));
	report("negative pid", sched_getscheduler(-1));
	report("missing pid", sched_getscheduler(999999));
	report("NULL param", sched_setscheduler(0, SCHED_OTHER, NULL));
}

static void another_process(void)
{
	int release;
	pid_t child = sleeping_child(&release);
	struct sched_param p = {.sched_priority = 7};
	report("child to SCHED_RR 7", sched_setscheduler(child, SCHED_RR, &p));
	report_value("child policy RR", sched_getscheduler(child) == SCHED_RR);
	p.sched_priority = 0;
	sched_getparam(child, &p);
	report_value("child priority", p.sched_priority);
	report_value("own policy OTHER", sched_getscheduler(0) == SCHED_OTHER);
	report("child to SCHED_BATCH", sched_setscheduler(child, SCHED_BATCH, &no_priority));
	report_value("child policy BATCH", sched_getscheduler(child) == SCHED_BATCH);
	report("child nice 7", setpriority(PRIO_PROCESS, child, 7));
	report_value("child nice", getpriority(PRIO_PROCESS, child));
	report_value("own nice", getpriority(PRIO_PROCESS, 0));
	end_child(child, release);
	report("ended child", sched_getscheduler(child));
}

static void process_group(void)
{
	int release;
	pid_t child = sleeping_child(&release);
	report("setpgid", setpgid(child, child));
	report("PRIO_PGRP nice 9", setpriority(PRIO_PGRP, child, 9));
	report_value("PRIO_PGRP nice", getpriority(PRIO_PGRP, child));
	report_value("child nice", getpriority(PRIO_PROCESS, child));
	report_value("own nice unchanged", getpriority(PRIO_PROCESS, 0));
	errno = 0;
	report("PRIO_PGRP of a missing group", getpriority(PRIO_PGRP, 999999) == -1 && errno ? -1 : 0);
	report("bad which", setpriority(7, 0, 1));
	end_child(child, release);
}

static void reset_on_fork(void)
{
	struct sched_param p = {.sched_priority = 5};
	report("RR with reset-on-fork", sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &p));
	int policy = sched_getscheduler(0);
	int release;
	pid_t child = sleeping_child(&release);
	report("parent back to SCHED_OTHER", sched_setscheduler(0, SCHED_OTHER, &no_priority));
	report_value("policy showed the flag", policy == (SCHED_RR | SCHED_RESET_ON_FORK));
	report_value("child policy", sched_getscheduler(child));
	p.sched_priority = 9;
	sched_getparam(child, &p);
	report_value("child priority", p.sched_priority);
	report_value("child nice", getpriority(PRIO_PROCESS, child));
	end_child(child, release);

	setpriority(PRIO_PROCESS, 0, -3);
	report("OTHER with reset-on-fork", sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &no_priority));
	child = sleeping_child(&release);
	report_value("child of nice -3 has nice", getpriority(PRIO_PROCESS, child));
	report_value("child policy", sched_getscheduler(child));
	end_child(child, release);
	report("clear reset-on-fork", sched_setscheduler(0, SCHED_OTHER, &no_priority));
	report_value("own policy", sched_getscheduler(0));
	setpriority(PRIO_PROCESS, 0, 5);
}

static void attributes(void)
{
	struct attr a = {.size = 48, .policy = SCHED_OTHER, .nice = 3};
	report("setattr OTHER nice 3", set_attr(&a, 0));
	report_value("nice after setattr", getpriority(PRIO_PROCESS, 0));
	memset(&a, 0xff, sizeof a);
	report("getattr 56", get_attr(&a, 56));
	report_value("size", a.size);
	report_value("policy", a.policy);
	report_value("flags", (long)a.flags);
	report_value("nice", a.nice);
	report_value("priority", a.priority);
	memset(&a, 0xff, sizeof a);
	report("getattr 64", get_attr(&a, 64));
	report_value("size written", a.size);
	report_value("byte past it zeroed", a.beyond[0] == 0);
	report("getattr 40", get_attr(&a, 40));
	a = (struct attr){.size = 40};
	report("setattr size 40", set_attr(&a, 0));
	report_value("size written back", a.size);
	a = (struct attr){.size = 64, .policy = SCHED_OTHER, .nice = 5, .beyond = {1}};
	report("setattr nonzero past the struct", set_attr(&a, 0));
	a = (struct attr){.size = 64, .policy = SCHED_OTHER, .nice = 5};
	report("setattr zero past the struct", set_attr(&a, 0));
	a = (struct attr){.size = 56, .policy = SCHED_FIFO, .priority = 3};
	report("setattr FIFO 3", set_attr(&a, 0));
	memset(&a, 0xff, sizeof a);
	long got = get_attr(&a, 56);
	struct attr back = {.size = 56, .policy = SCHED_OTHER, .nice = 5};
	report("setattr back to OTHER nice 5", set_attr(&back, 0));
	report("getattr while FIFO", got);
	report_value("FIFO policy", a.policy);
	report_value("FIFO priority", a.priority);
	report_value("FIFO nice field", a.nice);
	a = (struct attr){.size = 56, .policy = SCHED_OTHER};
	report("setattr with flags argument 1", set_attr(&a, 1));
	a.flags = 0x80;
	report("setattr unknown sched_flags", set_attr(&a, 0));
	a = (struct attr){.size = 56, .policy = 4};
	report("setattr policy 4", set_attr(&a, 0));
	a = (struct attr){
	    .size = 56, .policy = SCHED_DEADLINE, .runtime = 20000000, .deadline = 10000000, .period = 30000000};
	report("setattr DEADLINE runtime past deadline", set_attr(&a, 0));
	report("setattr NULL", syscall(SYS_sched_setattr, 0, NULL, 0));
	report("getattr missing pid", syscall(SYS_sched_getattr, 999999, &a, 56, 0));
	report_value("nice at the end", getpriority(PRIO_PROCESS, 0));
}

/* A child that drops root: within RLIMIT_NICE and RLIMIT_RTPRIO of 0 and
 * only on its own threads. */
static void unprivileged(void)
{
	pid_t parent = getpid();
	pid_t child = fork_flushed();
	if (child == 0) {
		struct rlimit zero = {0, 0}, one = {1, 1};
		struct sched_param p = {.sched_priority = 1};
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(0, &set);
		require(setrlimit(RLIMIT_NICE, &zero) == 0 && setrlimit(RLIMIT_RTPRIO, &zero) == 0, "setrlimit");
		require(setuid(OTHER_USER) == 0, "setuid");
		report("user: FIFO past RLIMIT_RTPRIO", sched_setscheduler(0, SCHED_FIFO, &p));
		report("user: nice 8", setpriority(PRIO_PROCESS, 0, 8));
		report("user: nice back to 6", setpriority(PRIO_PROCESS, 0, 6));
		errno = 0;
		report("user: nice(-1)", nice(-1) == -1 && errno ? -1 : 0);
		report_value("user: PRIO_USER", getpriority(PRIO_USER, 0));
		report("user: renice root's process", setpriority(PRIO_PROCESS, parent, 10));
		report("user: set root's policy", sched_setscheduler(parent, SCHED_BATCH, &no_priority));
		report("user: setparam on root's", sched_setparam(parent, &no_priority));
		report_value("user: read root's nice", getpriority(PRIO_PROCESS, parent));
		report("user: root's affinity", sched_setaffinity(parent, sizeof set, &set));
		report("user: own affinity", sched_setaffinity(0, sizeof set, &set));
		report("user: SCHED_IDLE", sched_setscheduler(0, SCHED_IDLE, &no_priority));
		report("user: leave SCHED_IDLE", sched_setscheduler(0, SCHED_OTHER, &no_priority));
		report("user: reset-on-fork", sched_setscheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &no_priority));
		report("user: clear reset-on-fork", sched_setscheduler(0, SCHED_IDLE, &no_priority));
		report("user: raise RLIMIT_RTPRIO", setrlimit(RLIMIT_RTPRIO, &one));
		fflush(stdout);
		_exit(0);
	}
	report_value("unprivileged child", wait_code(child));
}

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
	real_time_policies();
	another_process();
	process_group();
	reset_on_fork();
	attributes();
	unprivileged();

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
