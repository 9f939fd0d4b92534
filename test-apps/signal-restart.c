/* Syscalls a handler interrupts: EINTR without SA_RESTART, a transparent
 * restart with it, as Linux decides per call: a pipe read and an untimed
 * futex wait restart; nanosleep, pause and a timed futex wait never do. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* linux/futex.h is not in musl's include path */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static int pipe_fds[2];
static volatile unsigned futex_word;
static volatile int handled;

static void on_alarm(int sig)
{
	(void)sig;
	handled++;
	(void)!write(pipe_fds[1], "x", 1);
	futex_word = 1;
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void arm(int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval soon = {{0, 0}, {0, 30000}};
	setitimer(ITIMER_REAL, &soon, NULL);
}

int main(void)
{
	require(pipe(pipe_fds) == 0, "pipe");
	char c;
	for (int restart = 0; restart <= 1; restart++) {
		printf("SA_RESTART %s\n", restart ? "set" : "not set");
		arm(restart);
		errno = 0;
		report_value("  read on an empty pipe", read(pipe_fds[0], &c, 1));
		if (!restart)
			report_value("  read again finds the handler's byte", read(pipe_fds[0], &c, 1));

		futex_word = 0;
		arm(restart);
		errno = 0;
		/* Restarted, the wait sees the handler's new value: EAGAIN. */
		report_value("  futex wait, no timeout", syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
		(void)!read(pipe_fds[0], &c, 1);

		futex_word = 0;
		arm(restart);
		errno = 0;
		struct timespec long_wait = {5, 0};
		report_value("  futex wait, 5 s timeout",
		       syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &long_wait, NULL, 0));
		(void)!read(pipe_fds[0], &c, 1);

		arm(restart);
		errno = 0;
		struct timespec rem = {0, 0};
		report_value("  nanosleep 5 s", nanosleep(&long_wait, &rem));
		printf("  time left reported: %d\n", rem.tv_sec > 0 && rem.tv_sec <= 5);
		(void)!read(pipe_fds[0], &c, 1);

		arm(restart);
		errno = 0;
		report_value("  pause", pause());
		(void)!read(pipe_fds[0], &c, 1);
	}
	printf("handlers run: %d\n", handled);
	return 0;
}
