/* wait-stop: stopping and continuing a child. SIGSTOP stops it (waitpid with
 * WUNTRACED sees WIFSTOPPED, waitid with WSTOPPED sees CLD_STOPPED), SIGCONT
 * resumes it (WCONTINUED, CLD_CONTINUED), the parent's SIGCHLD handler hears
 * both unless SA_NOCLDSTOP, a stopped child does not run; SIGKILL ends a
 * stopped child at once, SIGTERM only once SIGCONT wakes it. Only SIGSTOP: the test's process group
 * may be orphaned (natively it leads its own session), where Linux discards
 * SIGTSTP, SIGTTIN and SIGTTOU. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static volatile sig_atomic_t chld_calls, chld_code;

static void on_sigchld(int sig, siginfo_t *info, void *context)
{
	(void)sig, (void)context;
	chld_calls++;
	chld_code = info->si_code;
}

/* Linux lets wait report a stop or continue a moment before the child's
 * SIGCHLD is sent, so give the handler up to a second. */
static int handler_ran_since(int calls)
{
	for (int i = 0; i < 1000 && chld_calls == calls; i++)
		usleep(1000);
	return chld_calls - calls;
}

static const char *code_name(int code)
{
	switch (code) {
	case CLD_EXITED:
		return "CLD_EXITED";
	case CLD_KILLED:
		return "CLD_KILLED";
	case CLD_STOPPED:
		return "CLD_STOPPED";
	case CLD_CONTINUED:
		return "CLD_CONTINUED";
	default:
		return "other";
	}
}

static void describe(const char *label, pid_t got, pid_t pid, const int *statusp)
{
	int status = *statusp;
	if (got < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else if (got == 0)
		printf("%s: returned 0, nothing to report\n", label);
	else if (got != pid)
		printf("%s: another pid\n", label);
	else if (WIFSTOPPED(status))
		printf("%s: stopped by signal %d\n", label, WSTOPSIG(status));
	else if (WIFCONTINUED(status))
		printf("%s: continued\n", label);
	else if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

static void describe_info(const char *label, int ret, const siginfo_t *info)
{
	if (ret < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else if (info->si_pid == 0)
		printf("%s: nothing to report\n", label);
	else
		printf("%s: %s, si_status %d\n", label, code_name(info->si_code), info->si_status);
}

/* A child that counts into a shared pipe while it runs: it writes one byte
 * each time it is told to, so a stopped child's silence shows. */
static pid_t counting_child(int tell[2], int answer[2])
{
	require(pipe(tell) == 0 && pipe(answer) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		close(tell[1]);
		close(answer[0]);
		char c;
		while (read(tell[0], &c, 1) == 1)
			if (write(answer[1], &c, 1) != 1)
				_exit(101);
		_exit(5);
	}
	close(tell[0]);
	close(answer[1]);
	return pid;
}

static int answers(int fd)
{
	/* A running child answers within a second; a stopped one does not. */
	struct timeval tv = {1, 0};
	fd_set set;
	FD_ZERO(&set);
	FD_SET(fd, &set);
	if (select(fd + 1, &set, NULL, NULL, &tv) != 1)
		return 0;
	char c;
	return read(fd, &c, 1) == 1;
}

static void stop_and_continue(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigchld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);

	int tell[2], answer[2], status = -1;
	pid_t pid = counting_child(tell, answer);
	require(write(tell[1], "a", 1) == 1, "write");
	printf("running child answers: %d\n", answers(answer[0]));

	int calls = chld_calls;
	kill(pid, SIGSTOP);
	describe("waitpid WUNTRACED after SIGSTOP", waitpid(pid, &status, WUNTRACED), pid, &status);
	calls = handler_ran_since(calls); /* first: it waits for the handler that sets chld_code */
	printf("SIGCHLD handler: %d call, %s\n", calls, code_name(chld_code));
	describe("waitpid WUNTRACED again", waitpid(pid, &status, WUNTRACED | WNOHANG), pid, &status);
	require(write(tell[1], "b", 1) == 1, "write");
	/* Short wait: the answer must not come while stopped. */
	struct timeval tv = {0, 200000};
	fd_set set;
	FD_ZERO(&set);
	FD_SET(answer[0], &set);
	printf("stopped child answers: %d\n", select(answer[0] + 1, &set, NULL, NULL, &tv) == 1);

	calls = chld_calls;
	kill(pid, SIGCONT);
	describe("waitpid WCONTINUED after SIGCONT", waitpid(pid, &status, WCONTINUED), pid, &status);
	calls = handler_ran_since(calls); /* first: it waits for the handler that sets chld_code */
	printf("SIGCHLD handler: %d call, %s\n", calls, code_name(chld_code));
	printf("continued child answers the waiting byte: %d\n", answers(answer[0]));

	/* waitid sees the same, with WNOWAIT leaving it to report again. */
	siginfo_t info;
	kill(pid, SIGSTOP);
	memset(&info, 0, sizeof info);
	describe_info("waitid WSTOPPED|WNOWAIT", waitid(P_PID, pid, &info, WSTOPPED | WNOWAIT), &info);
	memset(&info, 0, sizeof info);
	describe_info("waitid WSTOPPED", waitid(P_PID, pid, &info, WSTOPPED), &info);
	memset(&info, 0, sizeof info);
	describe_info("waitid WSTOPPED|WNOHANG once reported", waitid(P_PID, pid, &info, WSTOPPED | WNOHANG), &info);
	kill(pid, SIGCONT);
	memset(&info, 0, sizeof info);
	describe_info("waitid WCONTINUED", waitid(P_PID, pid, &info, WCONTINUED), &info);

	/* Plain waitpid (no WUNTRACED) does not report stops: it waits for the end. */
	kill(pid, SIGSTOP);
	describe("waitpid WNOHANG without WUNTRACED while stopped", waitpid(pid, &status, WNOHANG), pid, &status);
	kill(pid, SIGCONT);
	close(tell[1]);
	describe("waitpid for the end", waitpid(pid, &status, 0), pid, &status);
	close(answer[0]);
}

static void nocldstop(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigchld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	int tell[2], answer[2], status = -1;
	pid_t pid = counting_child(tell, answer);
	int calls = chld_calls;
	kill(pid, SIGSTOP);
	describe("SA_NOCLDSTOP: waitpid WUNTRACED", waitpid(pid, &status, WUNTRACED), pid, &status);
	kill(pid, SIGCONT);
	describe("SA_NOCLDSTOP: waitpid WCONTINUED", waitpid(pid, &status, WCONTINUED), pid, &status);
	usleep(50000); /* a SIGCHLD that should not come has had time to */
	printf("SA_NOCLDSTOP: handler calls for stop and continue: %d\n", chld_calls - calls);
	close(tell[1]);
	describe("SA_NOCLDSTOP: the end", waitpid(pid, &status, 0), pid, &status);
	printf("SA_NOCLDSTOP: handler calls with the end: %d, %s\n", chld_calls - calls, code_name(chld_code));
	close(answer[0]);
	signal(SIGCHLD, SIG_DFL);
}

static void kill_stopped(void)
{
	int sigs[] = {SIGKILL, SIGTERM};
	for (int i = 0; i < 2; i++) {
		int tell[2], answer[2], status = -1;
		pid_t pid = counting_child(tell, answer);
		kill(pid, SIGSTOP);
		describe("stopped", waitpid(pid, &status, WUNTRACED), pid, &status);
		kill(pid, sigs[i]);
		char label[64];
		if (sigs[i] != SIGKILL) {
			/* Only SIGKILL wakes a stopped process; others wait for SIGCONT. */
			snprintf(label, sizeof label, "stopped child sent signal %d, before SIGCONT", sigs[i]);
			usleep(50000);
			describe(label, waitpid(pid, &status, WNOHANG), pid, &status);
			kill(pid, SIGCONT);
		}
		snprintf(label, sizeof label, "stopped child sent signal %d", sigs[i]);
		describe(label, waitpid(pid, &status, 0), pid, &status);
		close(tell[1]);
		close(answer[0]);
	}
}

int main(void)
{
	stop_and_continue();
	nocldstop();
	kill_stopped();
	return 0;
}
