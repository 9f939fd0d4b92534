/* Timers that send signals: alarm, setitimer (one-shot and periodic),
 * getitimer, and POSIX timers with SIGEV_SIGNAL, SIGEV_THREAD_ID and
 * SIGEV_NONE, their si_value and overruns. Times are checked against
 * generous bounds only: never early, and late by less than 30 s (a loaded emulator). */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define MS 1000000ll
#ifndef sigev_notify_thread_id /* musl names it; glibc 2.36 does not */
#define sigev_notify_thread_id _sigev_un._tid
#endif

static volatile int alarms;
static volatile pid_t handler_tid;

static void on_signal(int sig)
{
	(void)sig;
	alarms++;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Not early, and not later than a slow emulator could make it. */
static int on_time(long long start, long long wanted_ns)
{
	long long took = now_ns() - start;
	return took >= wanted_ns - MS && took < wanted_ns + 30000 * MS;
}

int main(void)
{
	signal(SIGALRM, on_signal);
	long long start = now_ns();
	printf("alarm(1) returns %u\n", alarm(1));
	printf("alarm(1) again returns the time left: %u\n", alarm(1));
	pause();
	printf("alarm fired %d, on time %d\n", alarms, on_time(start, 1000 * MS));
	printf("alarm(0) after it fired: %u\n", alarm(0));

	alarms = 0;
	struct itimerval every = {{0, 20000}, {0, 50000}}, seen;
	start = now_ns();
	setitimer(ITIMER_REAL, &every, NULL);
	getitimer(ITIMER_REAL, &seen);
	printf("getitimer: interval %ld us, value in range %d\n", (long)seen.it_interval.tv_usec,
	       seen.it_value.tv_sec == 0 && seen.it_value.tv_usec > 0 && seen.it_value.tv_usec <= 50000);
	while (alarms < 5)
		pause();
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, &seen);
	printf("periodic itimer: 5 signals, on time %d, still armed when stopped %d\n",
	       on_time(start, 50 * MS + 4 * 20 * MS), seen.it_interval.tv_usec == 20000);
	errno = 0;
	int r = setitimer(ITIMER_REAL + 7, &off, NULL);
	printf("setitimer bad which: %d %s\n", r, errno_name(errno));

	/* SIGEV_SIGNAL: taken synchronously with its value. */
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 1234;
	timer_t timer;
	require(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create");
	struct itimerspec once = {{0, 0}, {0, 30 * MS}}, periodic = {{0, 10 * MS}, {0, 10 * MS}}, cur;
	start = now_ns();
	timer_settime(timer, 0, &once, NULL);
	timer_gettime(timer, &cur);
	printf("timer_gettime: armed %d\n", cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 30 * MS);
	siginfo_t info;
	int sig = sigwaitinfo(&usr1, &info);
	printf("SIGEV_SIGNAL: signal %d SI_TIMER %d value %d on time %d\n", sig, info.si_code == SI_TIMER,
	       info.si_value.sival_int, on_time(start, 30 * MS));
	timer_gettime(timer, &cur);
	printf("after a one-shot: disarmed %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

	/* A periodic timer whose signal waits: the expiries meanwhile are overruns. */
	timer_settime(timer, 0, &periodic, NULL);
	struct timespec nap = {0, 200 * MS};
	nanosleep(&nap, NULL);
	sig = sigwaitinfo(&usr1, &info);
	printf("overruns counted %d, timer_getoverrun agrees %d\n", info.si_overrun >= 5,
	       timer_getoverrun(timer) == info.si_overrun);
	timer_delete(timer);
	errno = 0;
	r = timer_gettime(timer, &cur);
	printf("timer_gettime after delete: %d %s\n", r, errno_name(errno));
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);

	/* SIGEV_THREAD_ID: the signal goes to the named thread. */
	signal(SIGUSR2, on_signal);
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
	require(timer_create(CLOCK_REALTIME, &ev, &timer) == 0, "timer_create thread id");
	handler_tid = 0;
	timer_settime(timer, 0, &once, NULL);
	while (!handler_tid)
		pause();
	printf("SIGEV_THREAD_ID: handled on the named thread %d\n", handler_tid == (pid_t)syscall(SYS_gettid));
	timer_delete(timer);

	/* SIGEV_NONE: no signal, but the time still runs. */
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_NONE;
	require(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create none");
	struct itimerspec long_once = {{0, 0}, {100, 0}};
	timer_settime(timer, 0, &long_once, NULL);
	timer_gettime(timer, &cur);
	printf("SIGEV_NONE: time left counts down %d\n", cur.it_value.tv_sec >= 90 && cur.it_value.tv_sec < 100);
	timer_delete(timer);
	return 0;
}
