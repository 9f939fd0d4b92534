/* misc: identity, time, scheduling and limits syscalls. Prints only facts
 * that hold on any Linux machine: no pids, times, releases or cpu counts. */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static long long nanoseconds(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static const char *yes_no(int condition)
{
	return condition ? "yes" : "no";
}

int main(void)
{
	struct utsname u;
	require(uname(&u) == 0, "uname");
	printf("uname sysname=%s machine=%s\n", u.sysname, u.machine);

	pid_t pid = getpid();
	printf("getpid > 0: %s\n", yes_no(pid > 0));
	printf("getppid >= 0: %s\n", yes_no(getppid() >= 0));
	printf("gettid == getpid: %s\n", yes_no(syscall(SYS_gettid) == pid));

	struct timespec prev, now;
	int monotonic = clock_gettime(CLOCK_MONOTONIC, &prev) == 0;
	for (int i = 0; i < 1000 && monotonic; i++) {
		monotonic = clock_gettime(CLOCK_MONOTONIC, &now) == 0 && nanoseconds(&now) >= nanoseconds(&prev);
		prev = now;
	}
	printf("CLOCK_MONOTONIC non-decreasing over 1000 calls: %s\n", yes_no(monotonic));

	struct timespec real;
	require(clock_gettime(CLOCK_REALTIME, &real) == 0, "clock_gettime REALTIME");
	printf("CLOCK_REALTIME after 2020-01-01: %s\n", yes_no(real.tv_sec > 1577836800));
	struct timeval tv;
	require(gettimeofday(&tv, NULL) == 0, "gettimeofday");
	long long diff = (long long)tv.tv_sec - real.tv_sec;
	printf("gettimeofday within 1 s of CLOCK_REALTIME: %s\n", yes_no(diff >= -1 && diff <= 1));
	printf("time() within 1 s of CLOCK_REALTIME: %s\n",
	       yes_no(time(NULL) - real.tv_sec <= 1 && time(NULL) - real.tv_sec >= -1));

	struct timespec res;
	printf("clock_getres MONOTONIC: %s\n",
	       clock_getres(CLOCK_MONOTONIC, &res) == 0 && nanoseconds(&res) > 0 ? "ok" : "failed");

	struct timespec before, after, delay = { 0, 20 * 1000 * 1000 };
	clock_gettime(CLOCK_MONOTONIC, &before);
	report("nanosleep 20 ms", nanosleep(&delay, NULL));
	clock_gettime(CLOCK_MONOTONIC, &after);
	printf("slept at least 20 ms: %s\n", yes_no(nanoseconds(&after) - nanoseconds(&before) >= 20000000LL));
	/* clock_nanosleep with an absolute deadline. */
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += 10 * 1000 * 1000;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
	clock_gettime(CLOCK_MONOTONIC, &after);
	printf("clock_nanosleep absolute: %s, reached deadline: %s\n", errno_name(r),
	       yes_no(nanoseconds(&after) >= nanoseconds(&deadline)));

	cpu_set_t set;
	CPU_ZERO(&set);
	int affinity = sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 1;
	printf("sched_getaffinity at least one cpu: %s\n", affinity ? "ok" : "failed");
	report_value("sched_yield", sched_yield());

	struct sysinfo si;
	require(sysinfo(&si) == 0, "sysinfo");
	printf("sysinfo totalram > 0: %s\n", yes_no((unsigned long long)si.totalram * si.mem_unit > 0));

	struct rlimit stack;
	long pr = syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &stack);
	printf("prlimit64 RLIMIT_STACK: %s, cur > 0: %s\n", pr < 0 ? errno_name(errno) : "OK",
	       yes_no(pr == 0 && stack.rlim_cur > 0));
	struct rlimit files;
	require(getrlimit(RLIMIT_NOFILE, &files) == 0, "getrlimit NOFILE");
	printf("RLIMIT_NOFILE cur >= 64: %s\n", yes_no(files.rlim_cur >= 64));

	unsigned char random_bytes[32];
	report_value("getrandom 32", getrandom(random_bytes, sizeof(random_bytes), 0));

	mode_t old = umask(027);
	mode_t mine = umask(old);
	printf("umask round trip: %s\n", yes_no(mine == 027));

	report("chdir /tmp", chdir("/tmp"));
	char cwd[PATH_MAX];
	printf("getcwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : errno_name(errno));
	report("chdir /", chdir("/"));
	printf("getcwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : errno_name(errno));
	errno = 0;
	printf("getcwd size 1: %s\n", getcwd(cwd, 1) ? "succeeded" : errno_name(errno));

	long page = sysconf(_SC_PAGESIZE);
	printf("page size: %ld\n", page);
	return 0;
}
