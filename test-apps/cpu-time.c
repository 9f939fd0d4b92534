/* cpu-time: user and system time as Linux splits them, and the timers and
 * limits that count CPU time: ITIMER_VIRTUAL, ITIMER_PROF, POSIX timers on
 * CLOCK_PROCESS_CPUTIME_ID, RLIMIT_CPU, and a child's times after wait.
 * Only robust facts are printed: thresholds are generous, since an emulated
 * CPU is slow and noisy. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "common.h"

#define MS 1000000ll

static long long clock_ns(clockid_t clock)
{
	struct timespec ts;
	require(clock_gettime(clock, &ts) == 0, "clock_gettime");
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static long long timeval_ns(struct timeval tv) { return tv.tv_sec * 1000000000ll + tv.tv_usec * 1000ll; }

struct times_ns {
	long long user, system;
};

static struct times_ns usage(int who)
{
	struct rusage ru;
	require(getrusage(who, &ru) == 0, "getrusage");
	return (struct times_ns){timeval_ns(ru.ru_utime), timeval_ns(ru.ru_stime)};
}

static const char *yes(int fact) { return fact ? "yes" : "no"; }

static volatile sig_atomic_t got_signal;
static void note_signal(int sig) { got_signal = sig; }

/* Computes in ring 3 until the thread's CPU clock has grown by ms, or
 * until a signal arrives when stop_on_signal. */
static void spin(long long ms, int stop_on_signal)
{
	long long end = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * MS;
	volatile unsigned long sink = 0;
	while (!(stop_on_signal && got_signal) && clock_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i * i;
}

static void user_loop_is_user_time(void)
{
	struct times_ns before = usage(RUSAGE_SELF);
	long long thread_before = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	spin(300, 0);
	struct times_ns after = usage(RUSAGE_SELF);
	long long user = after.user - before.user, system = after.system - before.system;
	printf("busy loop: user time grew by 200 ms or more: %s\n", yes(user >= 200 * MS));
	printf("busy loop: system time grew less than a quarter of that: %s\n", yes(system * 4 < user));
	printf("busy loop: thread CPU clock grew by 250 ms or more: %s\n",
	       yes(clock_ns(CLOCK_THREAD_CPUTIME_ID) - thread_before >= 250 * MS));
	struct times_ns thread = usage(RUSAGE_THREAD);
	printf("RUSAGE_THREAD user time is 200 ms or more: %s\n", yes(thread.user >= 200 * MS));
}

/* Reading 64 KiB of /dev/zero is the kernel's work: clearing the buffer. */
static void syscalls_are_system_time(void)
{
	static char buf[65536];
	int fd = open("/dev/zero", O_RDONLY);
	require(fd >= 0, "open /dev/zero");
	struct times_ns before = usage(RUSAGE_SELF), now = before;
	long long wall_end = clock_ns(CLOCK_MONOTONIC) + 3000 * MS;
	while (now.system - before.system < 100 * MS && clock_ns(CLOCK_MONOTONIC) < wall_end) {
		for (int i = 0; i < 200; i++)
			require(read(fd, buf, sizeof buf) == sizeof buf, "read /dev/zero");
		now = usage(RUSAGE_SELF);
	}
	close(fd);
	long long user = now.user - before.user, system = now.system - before.system;
	printf("reads of /dev/zero: system time reached 100 ms: %s\n", yes(system >= 100 * MS));
	printf("reads of /dev/zero: more system time than user time: %s\n", yes(system > user));
	struct tms t;
	require(times(&t) != (clock_t)-1, "times");
	printf("times: tms_stime is above 0: %s\n", yes(t.tms_stime > 0));
}

static void sleep_is_neither(void)
{
	struct times_ns before = usage(RUSAGE_SELF);
	struct timespec third = {0, 300 * MS};
	require(nanosleep(&third, NULL) == 0, "nanosleep");
	struct times_ns after = usage(RUSAGE_SELF);
	printf("asleep 300 ms: user and system time grew under 50 ms: %s\n",
	       yes(after.user + after.system - before.user - before.system < 50 * MS));
}

static void set_itimer(int which, long long ms)
{
	struct itimerval it = {{0, 0}, {(time_t)(ms / 1000), (suseconds_t)(ms % 1000 * 1000)}};
	require(setitimer(which, &it, NULL) == 0, "setitimer");
}

static void cpu_itimers(void)
{
	signal(SIGVTALRM, note_signal);
	signal(SIGPROF, note_signal);

	got_signal = 0;
	set_itimer(ITIMER_VIRTUAL, 50);
	struct timespec third = {0, 300 * MS};
	nanosleep(&third, NULL);
	printf("ITIMER_VIRTUAL of 50 ms fired during 300 ms asleep: %s\n", yes(got_signal != 0));
	spin(2000, 1);
	printf("ITIMER_VIRTUAL then fired during a busy loop: %s\n", yes(got_signal == SIGVTALRM));
	struct itimerval left;
	require(getitimer(ITIMER_VIRTUAL, &left) == 0, "getitimer");
	printf("ITIMER_VIRTUAL disarmed after firing: %s\n", yes(!left.it_value.tv_sec && !left.it_value.tv_usec));

	got_signal = 0;
	set_itimer(ITIMER_PROF, 50);
	spin(2000, 1);
	printf("ITIMER_PROF of 50 ms fired during a busy loop: %s\n", yes(got_signal == SIGPROF));
}

static void process_cpu_posix_timer(void)
{
	signal(SIGUSR1, note_signal);
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	timer_t timer;
	require(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &timer) == 0, "timer_create");
	struct itimerspec value = {{0, 0}, {0, 100 * MS}};
	got_signal = 0;
	require(timer_settime(timer, 0, &value, NULL) == 0, "timer_settime");
	struct timespec third = {0, 300 * MS};
	nanosleep(&third, NULL);
	printf("CPU-clock timer of 100 ms expired during 300 ms asleep: %s\n", yes(got_signal != 0));
	spin(2000, 1);
	printf("CPU-clock timer then expired during a busy loop: %s\n", yes(got_signal == SIGUSR1));
	timer_delete(timer);
}

/* A child with RLIMIT_CPU of 1 s computes: SIGXCPU comes after a second of
 * CPU time, and the parent then sees that second as its child's. */
static void cpu_limit_and_children(void)
{
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		struct rlimit lim = {1, 4};
		require(setrlimit(RLIMIT_CPU, &lim) == 0, "setrlimit");
		signal(SIGXCPU, note_signal);
		got_signal = 0;
		spin(3000, 1);
		_exit(got_signal == SIGXCPU ? 0 : 1);
	}
	int status;
	require(waitpid(pid, &status, 0) == pid, "waitpid");
	printf("child with RLIMIT_CPU 1 s got SIGXCPU: %s\n", yes(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	struct times_ns children = usage(RUSAGE_CHILDREN);
	printf("RUSAGE_CHILDREN user and system time add up to 100 ms or more: %s\n",
	       yes(children.user + children.system >= 100 * MS));
	struct tms t;
	require(times(&t) != (clock_t)-1, "times");
	printf("times: tms_cutime and tms_cstime add up to 10 ticks or more: %s\n",
	       yes((t.tms_cutime + t.tms_cstime) * 100 >= 10 * sysconf(_SC_CLK_TCK)));
}

/* /proc/self/stat fields 14 and 15: utime and stime in clock ticks. */
static void proc_stat_times(void)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY);
	require(fd >= 0, "open /proc/self/stat");
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	require(n > 0, "read /proc/self/stat");
	buf[n] = 0;
	unsigned long long utime = 0, stime = 0;
	char *after_comm = strrchr(buf, ')');
	require(after_comm && sscanf(after_comm + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
	                             &stime) == 2,
	        "parse /proc/self/stat");
	printf("/proc/self/stat: utime is 20 ticks or more: %s\n",
	       yes(utime * 100 >= 20 * (unsigned long long)sysconf(_SC_CLK_TCK)));
	printf("/proc/self/stat: stime is above 0: %s\n", yes(stime > 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	user_loop_is_user_time();
	syscalls_are_system_time();
	sleep_is_neither();
	cpu_itimers();
	process_cpu_posix_timer();
	proc_stat_times();
	cpu_limit_and_children();
	return 0;
}
