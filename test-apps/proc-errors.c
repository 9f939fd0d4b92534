/* proc-errors: bad input to the process calls gives Linux's errors. wait
 * without children (ECHILD); execve of a file that is not a program, a
 * directory, a truncated ELF (the first 100 bytes of /proc/self/exe), a bad
 * pointer for the path, argv, an argv element or envp (EFAULT), an empty or
 * too long path, an argument longer than 128 KiB (E2BIG); kill with a bad
 * signal or pid. Then a bounded fork bomb: 200 children that all wait on a
 * pipe, released at once and reaped. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

#define CHILDREN 200

static char dir[64];

/* execve in a child, so an exec that wrongly works cannot replace the test;
 * the raw syscall, so libc checks nothing first. The child exits 200 + errno. */
static void exec_fails(const char *label, const char *path, const void *argv, const void *envp)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		syscall(SYS_execve, path, argv, envp);
		_exit(errno < 50 ? 200 + errno : 255);
	}
	int code = wait_code(pid);
	if (code >= 200 && code < 255)
		printf("%s: %s\n", label, errno_name(code - 200));
	else
		printf("%s: exited %d\n", label, code);
}

static const char *make_file(const char *name, const void *data, size_t size)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	require(fd >= 0 && write(fd, data, size) == (ssize_t)size, "write a file");
	close(fd);
	return path;
}

static void bad_exec(void)
{
	char *argv[] = {"x", NULL};
	exec_fails("text without #!", make_file("text", "echo hello\n", 11), argv, environ);

	char head[100];
	int self = open("/proc/self/exe", O_RDONLY);
	require(self >= 0 && read(self, head, sizeof head) == sizeof head, "read /proc/self/exe");
	close(self);
	exec_fails("ELF cut at 100 bytes", make_file("truncated", head, sizeof head), argv, environ);
	exec_fails("ELF header only (64 bytes)", make_file("header-only", head, 64), argv, environ);
	exec_fails("empty file", make_file("empty", "", 0), argv, environ);

	exec_fails("directory", "/tmp", argv, environ);
	exec_fails("missing file", "/no/such/file", argv, environ);
	exec_fails("empty path", "", argv, environ);
	exec_fails("path through a file", "/proc/self/exe/x", argv, environ);
	char long_path[PATH_MAX + 10];
	memset(long_path, 'a', sizeof long_path - 1);
	long_path[0] = '/';
	long_path[sizeof long_path - 1] = 0;
	exec_fails("path longer than PATH_MAX", long_path, argv, environ);

	exec_fails("bad path pointer", (const char *)1, argv, environ);
	exec_fails("bad argv pointer", "/proc/self/exe", (char *const *)1, environ);
	char *bad_element[] = {"x", (char *)1, NULL};
	exec_fails("bad argv element", "/proc/self/exe", bad_element, environ);
	exec_fails("bad envp pointer", "/proc/self/exe", argv, (char *const *)1);
	char *bad_env[] = {"A=1", (char *)8, NULL};
	exec_fails("bad envp element", "/proc/self/exe", argv, bad_env);

	size_t size = 128 * 1024 + 1;
	char *huge = malloc(size + 1);
	require(huge != NULL, "malloc");
	memset(huge, 'h', size);
	huge[size] = 0;
	char *huge_argv[] = {"x", huge, NULL};
	exec_fails("argument over 128 KiB", "/proc/self/exe", huge_argv, environ);
	free(huge);

	unlink(make_file("text", "", 0));
	unlink(make_file("truncated", "", 0));
	unlink(make_file("header-only", "", 0));
	unlink(make_file("empty", "", 0));
	report("remove the folder", rmdir(dir));
}

static void bad_calls(void)
{
	int status;
	siginfo_t info;
	report("waitpid without children", waitpid(-1, &status, 0));
	report("wait4 with WNOHANG without children", wait4(-1, &status, WNOHANG, NULL));
	report("waitid without children", waitid(P_ALL, 0, &info, WEXITED));
	report("kill with signal 65", kill(getpid(), 65));
	report("kill with signal -1", kill(getpid(), -1));
	report("kill of a pid that does not exist", kill(INT_MAX, 0));
	report("kill of INT_MIN", kill(INT_MIN, 0));
	report("getpgid of a pid that does not exist", getpgid(INT_MAX));
	report("getsid of a pid that does not exist", getsid(INT_MAX));

	/* A bad status pointer: the child is reaped all the same, then EFAULT. */
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0)
		_exit(0);
	report("wait4 with a bad status pointer", wait4(pid, (int *)1, 0, NULL));
	report("wait4 for it again", wait4(pid, &status, 0, NULL));
	pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0)
		_exit(0);
	report("waitid with a bad siginfo pointer", waitid(P_PID, pid, (siginfo_t *)1, WEXITED));
	report("waitid for it again", waitid(P_PID, pid, &info, WEXITED));
}

/* 200 children, each blocked reading a pipe; closing the write end frees all. */
static void bounded_fork_bomb(void)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	fflush(stdout);
	int made = 0;
	for (int i = 0; i < CHILDREN; i++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(p[1]);
			char c;
			_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
		}
		made++;
	}
	close(p[0]);
	close(p[1]);
	int reaped = 0, clean = 0, status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, 0)) > 0) {
		reaped++;
		clean += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	printf("children made %d, reaped %d, saw EOF %d, then %s\n", made, reaped, clean, errno_name(errno));
}

int main(void)
{
	strcpy(dir, "/tmp/proc-errors-XXXXXX");
	require(mkdtemp(dir) != NULL, "mkdtemp");
	bad_exec();
	bad_calls();
	bounded_fork_bomb();
	return 0;
}
