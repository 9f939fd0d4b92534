/* pgroups: process groups and sessions. setpgid(0, 0) in a child and
 * getpgid of it from the parent; setpgid's errors (ESRCH for a process that
 * is not a child, EPERM for a session leader or a group in another session,
 * EACCES once the child has exec'd, EINVAL for negative ids); setsid in a
 * child and setsid again (EPERM); kill(-pgid) reaching every member of a group,
 * kill(0, sig) reaching the caller's group, and kill(0, 0). */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static void read_byte(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(100);
}

static void write_byte(int fd)
{
	if (write(fd, "r", 1) != 1)
		_exit(101);
}

static void own_group(void)
{
	int ready[2], release[2];
	require(pipe(ready) == 0 && pipe(release) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		int ok = setpgid(0, 0) == 0 && getpgrp() == getpid() && getpgid(0) == getpid();
		write_byte(ready[1]);
		read_byte(release[0]);
		_exit(ok ? 10 : 11);
	}
	read_byte(ready[0]);
	printf("child's group is its pid: %d\n", getpgid(pid) == pid);
	printf("child's session is ours: %d\n", getsid(pid) == getsid(0));
	printf("our group unchanged: %d\n", getpgid(0) == getpgrp());
	report("moving the child back to our group", setpgid(pid, getpgrp()));
	printf("child's group is ours again: %d\n", getpgid(pid) == getpgrp());
	report("setpgid(child, -1)", setpgid(pid, -1));
	report("setpgid(-1, 0)", setpgid(-1, 0));
	write_byte(release[1]);
	printf("child exited %d\n", wait_code(pid));
	report("getpgid of a reaped child", getpgid(pid));
	report("setpgid of a reaped child", setpgid(pid, pid));
	close(ready[0]), close(ready[1]), close(release[0]), close(release[1]);
}

/* A child starts a new session; its grandchild is not ours to move. */
static void sessions(void)
{
	int ready[2], release[2];
	require(pipe(ready) == 0 && pipe(release) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		pid_t sid = setsid();
		int ok = sid == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
		int again = setsid() < 0 && errno == EPERM;
		pid_t grandchild = fork();
		if (grandchild == 0) {
			read_byte(release[0]);
			_exit(0);
		}
		if (write(ready[1], &grandchild, sizeof grandchild) != sizeof grandchild)
			_exit(102);
		read_byte(release[0]);
		wait_code(grandchild);
		_exit(ok && again ? 20 : 21);
	}
	pid_t grandchild = -1;
	require(read(ready[0], &grandchild, sizeof grandchild) == sizeof grandchild, "read");
	printf("child's session is its pid: %d\n", getsid(pid) == pid);
	printf("grandchild's session is the child's: %d\n", getsid(grandchild) == pid);
	report("setpgid on a session leader", setpgid(pid, pid));
	report("setpgid on a grandchild", setpgid(grandchild, grandchild));
	report("setpgid(0, a group in another session)", setpgid(0, pid));
	write_byte(release[1]);
	write_byte(release[1]);
	printf("child exited %d (20: setsid worked, setsid again gave EPERM)\n", wait_code(pid));
	close(ready[0]), close(ready[1]), close(release[0]), close(release[1]);
}

/* Child mode "exec": tells fd 3 it is running, then waits for EOF on fd 4. */
static int exec_mode(void)
{
	write_byte(3);
	char c;
	while (read(4, &c, 1) > 0)
		;
	return 30;
}

static void after_exec(void)
{
	int ready[2], release[2];
	require(pipe(ready) == 0 && pipe(release) == 0, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		if (dup2(ready[1], 3) != 3 || dup2(release[0], 4) != 4)
			_exit(103);
		close(release[1]);
		char *argv[] = {"pgroups", "exec", NULL};
		execve("/proc/self/exe", argv, environ);
		_exit(104);
	}
	close(ready[1]);
	close(release[0]);
	read_byte(ready[0]);
	report("setpgid after the child exec'd", setpgid(pid, pid));
	report("setpgid(child, our group) after exec", setpgid(pid, getpgrp()));
	close(release[1]);
	printf("exec'd child exited %d\n", wait_code(pid));
	close(ready[0]);
}

/* Three children in one group; kill(-pgid) ends all of them. */
static void kill_group(void)
{
	int ready[2];
	require(pipe(ready) == 0, "pipe");
	pid_t members[3];
	fflush(stdout);
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		require(pid >= 0, "fork");
		if (pid == 0) {
			if (setpgid(0, i == 0 ? 0 : members[0]) != 0)
				_exit(105);
			write_byte(ready[1]);
			for (;;)
				pause();
		}
		members[i] = pid;
		setpgid(pid, members[0]); /* as the child does, so neither waits for the other */
	}
	for (int i = 0; i < 3; i++)
		read_byte(ready[0]);
	report("kill(-pgid, 0)", kill(-members[0], 0));
	report("kill(-pgid, SIGTERM)", kill(-members[0], SIGTERM));
	int killed = 0;
	for (int i = 0; i < 3; i++)
		killed += wait_code(members[i]) == 128 + SIGTERM;
	printf("members ended by SIGTERM: %d\n", killed);
	report("kill(-pgid, 0) for an empty group", kill(-members[0], 0));
	report("kill(0, 0)", kill(0, 0));
	close(ready[0]), close(ready[1]);
}

/* kill(0, sig) in a child that leads a group reaches its own child too. */
static void kill_own_group(void)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		setpgid(0, 0);
		int ready[2];
		if (pipe(ready) != 0)
			_exit(106);
		pid_t inner = fork();
		if (inner == 0) {
			write_byte(ready[1]);
			for (;;)
				pause();
		}
		read_byte(ready[0]);
		signal(SIGUSR1, SIG_IGN);
		if (kill(0, SIGUSR1) != 0)
			_exit(107);
		int code = wait_code(inner);
		_exit(code == 128 + SIGUSR1 ? 40 : 41);
	}
	printf("kill(0, SIGUSR1) in a group leader ended its child: %s\n", wait_code(pid) == 40 ? "yes" : "no");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec") == 0)
		return exec_mode();
	own_group();
	sessions();
	after_exec();
	kill_group();
	kill_own_group();
	return 0;
}
