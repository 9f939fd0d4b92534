/* posix-spawn: posix_spawn with file actions (addopen of a file in /tmp,
 * adddup2, addclose) runs /proc/self/exe in child mode, and the parent reads
 * back what the child wrote; spawning a missing program returns ENOENT from
 * posix_spawn itself (glibc and musl both report the exec error); posix_spawnp
 * searches PATH; attributes set the process group and the signal mask. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

/* Per process, so runs of the six builds at once do not share it. */
static char out_path[64];

/* Child modes: "write" prints to fd 1 (the file) and checks fd 5 is closed;
 * "mask" reports whether SIGUSR1 is blocked and its process group. */
static int child_mode(int argc, char **argv)
{
	if (strcmp(argv[1], "write") == 0) {
		printf("written by the spawned child:");
		for (int i = 2; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		printf("fd 5 closed: %d\n", fcntl(5, F_GETFD) < 0 && errno == EBADF);
		printf("fd 6 is a dup of fd 1: %d\n", fcntl(6, F_GETFD) == 0);
		return 11;
	}
	if (strcmp(argv[1], "mask") == 0) {
		sigset_t mask;
		sigprocmask(SIG_BLOCK, NULL, &mask);
		printf("spawned child: SIGUSR1 blocked %d, SIGUSR2 blocked %d, own group %d\n",
		       sigismember(&mask, SIGUSR1), sigismember(&mask, SIGUSR2), getpgrp() == getpid());
		return 12;
	}
	return 99;
}

static void with_file_actions(void)
{
	snprintf(out_path, sizeof out_path, "/tmp/posix-spawn-%d.txt", (int)getpid());
	int spare = open("/dev/null", O_RDONLY);
	require(spare >= 0 && dup2(spare, 5) == 5, "dup2 to fd 5");
	close(spare);

	posix_spawn_file_actions_t actions;
	require(posix_spawn_file_actions_init(&actions) == 0, "file_actions_init");
	posix_spawn_file_actions_addopen(&actions, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&actions, 1, 6);
	posix_spawn_file_actions_addclose(&actions, 5);
	char *argv[] = {"posix-spawn", "write", "alpha", "beta", NULL};
	pid_t pid;
	fflush(stdout);
	int err = posix_spawn(&pid, "/proc/self/exe", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	printf("posix_spawn with file actions: %s\n", errno_name(err));
	if (err)
		return;
	printf("child exited %d\n", wait_code(pid));
	printf("parent's fd 5 still open: %d\n", fcntl(5, F_GETFD) >= 0);
	close(5);

	char buf[256] = "";
	int fd = open(out_path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (n >= 0)
		buf[n] = 0;
	printf("the file holds:\n%s", buf);
	close(fd);
	unlink(out_path);
}

static void missing_program(void)
{
	char *argv[] = {"nothing", NULL};
	pid_t pid = -1;
	int err = posix_spawn(&pid, "/no/such/program", NULL, NULL, argv, environ);
	printf("posix_spawn of a missing program: %s\n", errno_name(err));
	int status;
	/* glibc and musl reap the failed child themselves. */
	report("then waitpid(-1)", waitpid(-1, &status, WNOHANG));
	err = posix_spawnp(&pid, "no-such-program-anywhere", NULL, NULL, argv, environ);
	printf("posix_spawnp of a missing name: %s\n", errno_name(err));
	err = posix_spawn(&pid, "/tmp", NULL, NULL, argv, environ);
	printf("posix_spawn of a directory: %s\n", errno_name(err));
}

static void search_path(void)
{
	/* "sh" is found in PATH as /bin/sh or /usr/bin/sh; it exits with the code. */
	char *argv[] = {"sh", "-c", "exit 37", NULL};
	pid_t pid;
	int err = posix_spawnp(&pid, "sh", NULL, NULL, argv, environ);
	printf("posix_spawnp sh: %s\n", errno_name(err));
	if (!err)
		printf("sh exited %d\n", wait_code(pid));
}

static void with_attributes(void)
{
	posix_spawnattr_t attr;
	require(posix_spawnattr_init(&attr) == 0, "spawnattr_init");
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
	char *argv[] = {"posix-spawn", "mask", NULL};
	pid_t pid;
	fflush(stdout);
	int err = posix_spawn(&pid, "/proc/self/exe", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	int code = err ? -1 : wait_code(pid); /* before printing: the child prints too */
	printf("posix_spawn with attributes: %s\n", errno_name(err));
	printf("child exited %d\n", code);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return child_mode(argc, argv);
	with_file_actions();
	missing_program();
	search_path();
	with_attributes();
	return 0;
}
