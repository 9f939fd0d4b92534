/* vfork-exec: vfork shares the parent's memory and suspends the parent until
 * the child execs or exits. The child execs /proc/self/exe in child mode (it
 * prints its arguments and exits with a code), or _exits without exec, or
 * fails to exec and reports errno through shared memory, as posix_spawn does. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static volatile int shared_errno;
static volatile int written_by_child;

static int child_mode(int argc, char **argv)
{
	printf("child mode: argc %d:", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\n");
	return atoi(argv[argc - 1]);
}

static void describe(const char *label, pid_t pid)
{
	int status = -1;
	pid_t got = waitpid(pid, &status, 0);
	if (got != pid)
		printf("%s: waitpid: %s\n", label, errno_name(errno));
	else if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

static void vfork_exec(void)
{
	char *argv[] = {"vfork-exec", "child", "two words", "", "23", NULL};
	fflush(stdout);
	written_by_child = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		written_by_child = 1; /* seen by the parent: the memory is shared */
		execve("/proc/self/exe", argv, environ);
		shared_errno = errno;
		_exit(127);
	}
	require(pid > 0, "vfork");
	int seen = written_by_child;
	describe("exec'd child", pid); /* first, so the child's line comes before ours */
	printf("parent saw the child's write when vfork returned: %d\n", seen);
}

static void vfork_exit(void)
{
	fflush(stdout);
	written_by_child = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		written_by_child = 2;
		_exit(9);
	}
	require(pid > 0, "vfork");
	/* The parent resumes only after _exit, so the write is there. */
	printf("vfork + _exit: global %d\n", written_by_child);
	describe("_exit child", pid);
}

static void vfork_exec_fails(const char *path, const char *label)
{
	char *argv[] = {(char *)path, NULL};
	fflush(stdout);
	shared_errno = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		execve(path, argv, environ);
		shared_errno = errno;
		_exit(127);
	}
	require(pid > 0, "vfork");
	printf("%s: errno from the child: %s\n", label, errno_name(shared_errno));
	describe(label, pid);
}

/* vfork and exec argv[0]'s program; a function of its own, so the caller's
 * variables are not live across the vfork. */
static __attribute__((noinline)) pid_t spawn_self(char **argv)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execve("/proc/self/exe", argv, environ);
		_exit(127);
	}
	return pid;
}

/* Several vforks in a row, each child exec'ing with a different code. */
static void vfork_loop(void)
{
	int sum = 0;
	for (int i = 1; i <= 5; i++) {
		char code[8];
		snprintf(code, sizeof code, "%d", i);
		char *argv[] = {"vfork-exec", "quiet", code, NULL};
		pid_t pid = spawn_self(argv);
		int status = -1;
		require(pid > 0 && waitpid(pid, &status, 0) == pid, "vfork and wait");
		sum += WIFEXITED(status) ? WEXITSTATUS(status) : 1000;
	}
	printf("five exec'd children's codes add up to %d\n", sum);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child_mode(argc, argv);
	if (argc > 1 && strcmp(argv[1], "quiet") == 0)
		return atoi(argv[2]);
	vfork_exec();
	vfork_exit();
	vfork_exec_fails("/no/such/program", "missing program");
	vfork_exec_fails("/tmp", "directory");
	vfork_loop();
	return 0;
}
