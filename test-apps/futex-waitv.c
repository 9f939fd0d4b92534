/* futex_waitv through the raw syscall: its argument checks, EAGAIN and the
 * timeout on either clock, the index a FUTEX_WAKE on one of the words
 * returns (threads, and processes over MAP_SHARED memory), and signals. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "common.h"

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
/* From linux/futex.h, which musl's headers do not carry. */
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_32 2

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static uint32_t words[3];

static long waitv(struct futex_waitv *w, unsigned n, unsigned flags, struct timespec *timeout, int clock)
{
	return syscall(SYS_futex_waitv, w, n, flags, timeout, clock);
}

static void fill(struct futex_waitv *w, int n, uint32_t flags)
{
	memset(w, 0, sizeof *w * (size_t)n);
	for (int i = 0; i < n; i++) {
		w[i].uaddr = (uintptr_t)&words[i % 3];
		w[i].flags = flags;
	}
}

/* An absolute timeout ms from now on clock. */
static struct timespec in_ms(int clock, long ms)
{
	struct timespec t;
	clock_gettime(clock, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static void check_arguments(void)
{
	static struct futex_waitv w[129];
	struct timespec t = in_ms(CLOCK_MONOTONIC, 1000);
	fill(w, 129, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	report_value("flags", waitv(w, 1, 1, &t, CLOCK_MONOTONIC));
	report_value("no futexes", waitv(w, 0, 0, &t, CLOCK_MONOTONIC));
	report_value("129 futexes", waitv(w, 129, 0, &t, CLOCK_MONOTONIC));
	report_value("NULL waiters", waitv(NULL, 1, 0, &t, CLOCK_MONOTONIC));
	report_value("CLOCK_TAI", waitv(w, 1, 0, &t, CLOCK_TAI));
	report_value("bad timeout pointer", waitv(w, 1, 0, (struct timespec *)8, CLOCK_MONOTONIC));
	report_value("bad waiters pointer", waitv((struct futex_waitv *)8, 1, 0, &t, CLOCK_MONOTONIC));
	w[1].flags = FUTEX_PRIVATE_FLAG;
	report_value("no size flag", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[1].flags = 3 | FUTEX_PRIVATE_FLAG;
	report_value("64-bit size", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	fill(w, 2, FUTEX_32);
	w[1].reserved = 1;
	report_value("reserved set", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	fill(w, 2, FUTEX_32);
	w[1].val = 1ull << 32;
	report_value("value over 32 bits", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	fill(w, 2, FUTEX_32);
	w[1].uaddr += 1;
	report_value("misaligned", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	fill(w, 2, FUTEX_32);
	w[0].uaddr = 0;
	report_value("NULL word", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	fill(w, 3, FUTEX_32);
	w[2].val = 7;
	report_value("third value differs", waitv(w, 3, 0, &t, CLOCK_MONOTONIC));
	fill(w, 3, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	t = in_ms(CLOCK_MONOTONIC, 20);
	report_value("monotonic timeout", waitv(w, 3, 0, &t, CLOCK_MONOTONIC));
	t = in_ms(CLOCK_REALTIME, 20);
	report_value("realtime timeout", waitv(w, 3, 0, &t, CLOCK_REALTIME));
	t.tv_sec = 0;
	t.tv_nsec = 0;
	report_value("deadline passed", waitv(w, 3, 0, &t, CLOCK_MONOTONIC));
}

static void *waiter(void *arg)
{
	struct futex_waitv w[3];
	fill(w, 3, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	*(long *)arg = waitv(w, 3, 0, NULL, 0);
	return NULL;
}

/* Wakes word until a waiter is there to take it. */
static long wake_when_waited(uint32_t *word, int flags)
{
	long n;
	while ((n = syscall(SYS_futex, word, FUTEX_WAKE | flags, 1, NULL, NULL, 0)) == 0)
		usleep(1000);
	return n;
}

static void check_threads(void)
{
	for (int which = 0; which < 3; which++) {
		long index = -2;
		pthread_t t;
		pthread_create(&t, NULL, waiter, &index);
		long n = wake_when_waited(&words[which], FUTEX_PRIVATE_FLAG);
		pthread_join(t, NULL);
		printf("thread woken through word %d: wake %ld, index %ld\n", which, n, index);
	}
}

static void check_processes(void)
{
	uint32_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct futex_waitv w[2] = {{0, (uintptr_t)&shared[0], FUTEX_32, 0},
		                           {0, (uintptr_t)&shared[5], FUTEX_32, 0}};
		_exit((int)waitv(w, 2, 0, NULL, 0));
	}
	long n = wake_when_waited(&shared[5], 0);
	int status;
	waitpid(pid, &status, 0);
	printf("child woken through shared word 5: wake %ld, exit %d\n", n, WEXITSTATUS(status));
	munmap(shared, 4096);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal ends an untimed wait with EINTR after a handler without
 * SA_RESTART; with SA_RESTART the wait goes on to its deadline. */
static void check_signals(void)
{
	struct futex_waitv w[3];
	fill(w, 3, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval soon = {{0, 0}, {0, 20000}};
	setitimer(ITIMER_REAL, &soon, NULL);
	report_value("signal without SA_RESTART", waitv(w, 3, 0, NULL, 0));
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &soon, NULL);
	struct timespec t = in_ms(CLOCK_MONOTONIC, 100);
	report_value("signal with SA_RESTART", waitv(w, 3, 0, &t, CLOCK_MONOTONIC));
}

int main(void)
{
	check_arguments();
	check_threads();
	check_processes();
	check_signals();
	return 0;
}
