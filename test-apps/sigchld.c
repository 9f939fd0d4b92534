/* sigchld: a SA_SIGINFO handler for SIGCHLD sees each child end (si_code
 * CLD_EXITED or CLD_KILLED, si_status, si_pid) before wait returns it;
 * SIGCHLD set to SIG_IGN makes children vanish (wait blocks until they end,
 * then gives ECHILD), and so does SA_NOCLDWAIT, which still runs the handler. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static volatile sig_atomic_t calls, last_code, last_status;
static volatile pid_t last_pid;

static void on_sigchld(int sig, siginfo_t *info, void *context)
{
	(void)sig, (void)context;
	calls++;
	last_code = info->si_code;
	last_status = info->si_status;
	last_pid = info->si_pid;
}

static void set_handler(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigchld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
	sigemptyset(&sa.sa_mask);
	require(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction");
}

static void set_disposition(void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	require(sigaction(SIGCHLD, &sa, NULL) == 0, "sigaction");
}

/* A child that exits with code, or (code < 0) waits to be killed by -code. */
static pid_t child(int code)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		if (code < 0)
			for (;;)
				pause();
		_exit(code);
	}
	if (code < 0)
		kill(pid, -code);
	return pid;
}

static const char *code_name(int code)
{
	return code == CLD_EXITED ? "CLD_EXITED" : code == CLD_KILLED ? "CLD_KILLED" : "other";
}

static void handler_counts(void)
{
	set_handler(0);
	int codes[] = {1, 2, -SIGTERM, -SIGKILL, 0};
	for (int i = 0; i < 5; i++) {
		int before = calls, status;
		pid_t pid = child(codes[i]);
		pid_t got = waitpid(pid, &status, 0);
		printf("child %d: waitpid gave it %d, handler ran %d time(s), %s, si_status %d, si_pid right %d\n", i,
		       got == pid, calls - before, code_name(last_code), last_status, last_pid == pid);
	}
	printf("handler calls: %d\n", calls);
}

static void ignored(void)
{
	set_disposition(SIG_IGN);
	int before = calls, status;
	child(3);
	child(4);
	report("SIG_IGN: waitpid(-1) after the children end", waitpid(-1, &status, 0));
	siginfo_t info;
	report("SIG_IGN: waitid P_ALL", waitid(P_ALL, 0, &info, WEXITED));
	printf("SIG_IGN: handler calls %d\n", calls - before);

	/* Back to SIG_DFL: children are zombies again until waited for. */
	set_disposition(SIG_DFL);
	pid_t pid = child(5);
	pid_t got = waitpid(-1, &status, 0);
	printf("SIG_DFL: waitpid gave the child %d, exited %d\n", got == pid, WEXITSTATUS(status));
}

static void nocldwait(void)
{
	set_handler(SA_NOCLDWAIT);
	int before = calls, status;
	pid_t pid = child(6);
	report("SA_NOCLDWAIT: waitpid(pid)", waitpid(pid, &status, 0));
	printf("SA_NOCLDWAIT: handler calls %d, %s, si_status %d\n", calls - before, code_name(last_code), last_status);
	set_disposition(SIG_DFL);
}

/* A blocked SIGCHLD stays pending while the child is reaped, and runs on unblock. */
static void blocked(void)
{
	set_handler(0);
	sigset_t mask, old;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	int before = calls, status;
	pid_t pid = child(7);
	pid_t got = waitpid(pid, &status, 0);
	sigset_t pending;
	sigpending(&pending);
	printf("blocked: reaped %d, pending %d, handler calls %d\n", got == pid, sigismember(&pending, SIGCHLD),
	       calls - before);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblocking: handler calls %d, si_status %d\n", calls - before, last_status);
	set_disposition(SIG_DFL);
}

int main(void)
{
	handler_counts();
	ignored();
	nocldwait();
	blocked();
	return 0;
}
