/* wait-flags: the ways to wait for a child. WNOHANG before the child ends,
 * waitpid for one pid, for any (-1), for the caller's group (0) and for
 * another group (-pgid); waitid with P_PID, P_ALL and P_PGID, WNOWAIT leaving
 * the zombie for a second wait, and the siginfo it fills (si_code CLD_EXITED
 * or CLD_KILLED, si_status); children killed by SIGKILL and SIGTERM, exit
 * codes 255 and 256; ECHILD without children and EINVAL for bad options. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/* A child that blocks until released: it exits with code once the pipe is
 * written or closed. release == NULL means it exits at once. */
static pid_t child_exiting(int code, int *release, int own_group)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		if (own_group)
			setpgid(0, 0);
		close(p[1]);
		if (release) {
			char c;
			if (read(p[0], &c, 1) < 0)
				_exit(100);
		}
		exit(code);
	}
	if (own_group)
		setpgid(pid, pid); /* both sides set it, so neither has to wait for the other */
	close(p[0]);
	if (release)
		*release = p[1];
	else
		close(p[1]);
	return pid;
}

/* status is read after got is computed: a pointer, as argument order is unspecified. */
static void describe(const char *label, pid_t got, pid_t expected, const int *statusp)
{
	int status = *statusp;
	if (got < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else if (got == 0)
		printf("%s: returned 0, nothing to report\n", label);
	else if (got != expected)
		printf("%s: returned another pid\n", label);
	else if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d, core %d\n", label, WTERMSIG(status), WCOREDUMP(status) != 0);
	else
		printf("%s: status 0x%x\n", label, status);
}

static void describe_info(const char *label, int ret, const siginfo_t *info, pid_t expected)
{
	if (ret < 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	const char *code = info->si_code == CLD_EXITED   ? "CLD_EXITED"
	                   : info->si_code == CLD_KILLED ? "CLD_KILLED"
	                   : info->si_code == CLD_DUMPED ? "CLD_DUMPED"
	                                                 : "other";
	printf("%s: ret %d, si_signo SIGCHLD %d, si_code %s, si_status %d, si_pid right %d\n", label, ret,
	       info->si_signo == SIGCHLD, code, info->si_status, info->si_pid == expected);
}

static void nohang(void)
{
	int release, status = -1;
	pid_t pid = child_exiting(7, &release, 0);
	describe("WNOHANG while it runs", waitpid(pid, &status, WNOHANG), pid, &status);
	siginfo_t info;
	memset(&info, 0x7f, sizeof info);
	int ret = waitid(P_PID, pid, &info, WEXITED | WNOHANG);
	printf("waitid WNOHANG while it runs: ret %d, si_pid 0 %d, si_signo 0 %d\n", ret, info.si_pid == 0,
	       info.si_signo == 0);
	close(release);
	describe("waitpid(pid)", waitpid(pid, &status, 0), pid, &status);
	describe("waitpid(pid) again", waitpid(pid, &status, 0), pid, &status);
}

static void any_and_groups(void)
{
	int status = -1;
	pid_t pid = child_exiting(3, NULL, 0);
	describe("waitpid(-1)", waitpid(-1, &status, 0), pid, &status);

	int release_other;
	pid_t other = child_exiting(8, &release_other, 1);
	pid_t same = child_exiting(4, NULL, 0);
	describe("waitpid(0) takes the child in our group", waitpid(0, &status, 0), same, &status);
	describe("waitpid(0) with the other group's child left", waitpid(0, &status, WNOHANG), 0, &status);
	describe("waitpid(-pgid) while it runs", waitpid(-other, &status, WNOHANG), 0, &status);
	close(release_other);
	describe("waitpid(-pgid)", waitpid(-other, &status, 0), other, &status);
	describe("waitpid(-pgid) of an empty group", waitpid(-other, &status, 0), other, &status);
}

static void with_waitid(void)
{
	siginfo_t info;
	pid_t pid = child_exiting(6, NULL, 0);
	memset(&info, 0, sizeof info);
	describe_info("waitid P_PID WNOWAIT", waitid(P_PID, pid, &info, WEXITED | WNOWAIT), &info, pid);
	memset(&info, 0, sizeof info);
	describe_info("waitid P_ALL WNOWAIT again", waitid(P_ALL, 0, &info, WEXITED | WNOWAIT), &info, pid);
	int status = -1;
	describe("waitpid after WNOWAIT still finds it", waitpid(pid, &status, 0), pid, &status);
	memset(&info, 0, sizeof info);
	describe_info("waitid P_PID after the reap", waitid(P_PID, pid, &info, WEXITED), &info, pid);

	pid = child_exiting(9, NULL, 0);
	memset(&info, 0, sizeof info);
	describe_info("waitid P_ALL", waitid(P_ALL, 0, &info, WEXITED), &info, pid);

	int release;
	pid = child_exiting(10, &release, 1);
	close(release);
	memset(&info, 0, sizeof info);
	describe_info("waitid P_PGID", waitid(P_PGID, pid, &info, WEXITED), &info, pid);
}

static void signals(void)
{
	int sigs[] = {SIGKILL, SIGTERM, SIGUSR1};
	for (int i = 0; i < 3; i++) {
		int release, status = -1;
		pid_t pid = child_exiting(1, &release, 0);
		kill(pid, sigs[i]);
		char label[64];
		snprintf(label, sizeof label, "child sent signal %d", sigs[i]);
		if (i == 0) {
			describe(label, waitpid(pid, &status, 0), pid, &status);
		} else {
			siginfo_t info;
			memset(&info, 0, sizeof info);
			describe_info(label, waitid(P_PID, pid, &info, WEXITED), &info, pid);
		}
		close(release);
	}
}

static void exit_codes(void)
{
	int codes[] = {0, 1, 255, 256, 257, -1};
	for (int i = 0; i < 6; i++) {
		int status = -1;
		pid_t pid = child_exiting(codes[i], NULL, 0);
		char label[32];
		snprintf(label, sizeof label, "exit(%d)", codes[i]);
		describe(label, waitpid(pid, &status, 0), pid, &status);
	}
	/* si_status holds the full code only up to 8 bits, as the status does. */
	siginfo_t info;
	pid_t pid = child_exiting(0x1ff, NULL, 0);
	memset(&info, 0, sizeof info);
	describe_info("waitid for exit(0x1ff)", waitid(P_PID, pid, &info, WEXITED), &info, pid);
}

static void errors(void)
{
	int status;
	siginfo_t info;
	report("waitpid(-1) without children", waitpid(-1, &status, 0));
	report("waitpid(-1, WNOHANG) without children", waitpid(-1, &status, WNOHANG));
	report("waitpid(0) without children", waitpid(0, &status, 0));
	report("waitid P_ALL without children", waitid(P_ALL, 0, &info, WEXITED));
	report("waitpid with bad options", waitpid(-1, &status, 0x1000));
	report("waitid without WEXITED/WSTOPPED/WCONTINUED", waitid(P_ALL, 0, &info, WNOHANG));
	report("waitid with a bad idtype", waitid((idtype_t)42, 0, &info, WEXITED));
	report("waitid with bad options", waitid(P_ALL, 0, &info, WEXITED | 0x100));

	/* With a child: bad options still give EINVAL, and the child stays. */
	int release;
	pid_t pid = child_exiting(12, &release, 0);
	report("waitpid bad options with a child", waitpid(pid, &status, 0x1000));
	close(release);
	status = -1;
	describe("the child afterwards", waitpid(pid, &status, 0), pid, &status);
}

int main(void)
{
	nohang();
	any_and_groups();
	with_waitid();
	signals();
	exit_codes();
	errors();
	return 0;
}
