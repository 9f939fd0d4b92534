/* exec-state: what a process keeps and loses across execve. Caught signals
 * go back to SIG_DFL while ignored ones stay ignored; the signal mask, a
 * pending signal, an alarm, the umask, the working folder, the nice value,
 * the pid, the parent and the process group stay; the alternate signal stack
 * is dropped; the name becomes the file's base name; argv[0], the
 * environment and AT_EXECFN are what execve was given; /proc/self/exe
 * names the file run, though exec was given /proc/self/exe. The program
 * that runs is closed to writes, and a file open for writing cannot run
 * (ETXTBSY both). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static void on_signal(int sig) { (void)sig; }

/* Copies the program to a file and runs it while the copy is still open for
 * writing; returns the errno name (the exec'd copy would exit 7). */
static const char *exec_copy_open_for_writing(void)
{
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open("/tmp/exec-state-copy", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	require(in >= 0 && out >= 0, "open the copy");
	char chunk[65536];
	ssize_t n;
	while ((n = read(in, chunk, sizeof chunk)) > 0)
		require(write(out, chunk, (size_t)n) == n, "write the copy");
	close(in);
	char *args[] = {"copy", "after", "0", "0", NULL};
	execv("/tmp/exec-state-copy", args);
	const char *name = errno_name(errno);
	close(out);
	unlink("/tmp/exec-state-copy");
	return name;
}

static const char *disposition(int sig)
{
	struct sigaction sa;
	if (sigaction(sig, NULL, &sa) != 0)
		return errno_name(errno);
	return sa.sa_handler == SIG_DFL ? "SIG_DFL" : sa.sa_handler == SIG_IGN ? "SIG_IGN" : "a handler";
}

/* The exec'd side: argv[2] is the pid, argv[3] the parent's pid before exec. */
static int after_exec(int argc, char **argv)
{
	printf("argv[0]: %s, argc %d\n", argv[0], argc);
	int env_count = 0;
	for (char **e = environ; *e; e++)
		env_count++;
	printf("environment: %d entries, first %s\n", env_count, environ[0] ? environ[0] : "(none)");
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN: %s\n", execfn ? execfn : "(none)");
	char name[17] = "";
	prctl(PR_GET_NAME, name);
	printf("name: %s\n", name);
	printf("same pid: %d, same parent: %d, own group: %d\n", getpid() == atoi(argv[2]), getppid() == atoi(argv[3]),
	       getpgrp() == getpid());
	printf("SIGUSR1 (was caught): %s\n", disposition(SIGUSR1));
	printf("SIGUSR2 (was ignored): %s\n", disposition(SIGUSR2));
	printf("SIGCHLD (was caught with SA_RESTART): %s\n", disposition(SIGCHLD));
	sigset_t mask, pending;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	printf("SIGHUP blocked %d, pending %d; SIGINT blocked %d\n", sigismember(&mask, SIGHUP),
	       sigismember(&pending, SIGHUP), sigismember(&mask, SIGINT));
	unsigned left = alarm(0);
	printf("alarm kept: %d\n", left > 90 && left <= 100);
	printf("umask: %03o\n", (unsigned)umask(0));
	char cwd[256] = "";
	printf("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : errno_name(errno));
	errno = 0;
	int nice_value = getpriority(PRIO_PROCESS, 0);
	printf("nice: %d\n", nice_value);
	stack_t ss;
	sigaltstack(NULL, &ss);
	printf("alternate signal stack disabled: %d\n", (ss.ss_flags & SS_DISABLE) != 0);
	/* exec'd through /proc/self/exe, which now names the file itself */
	char exe[4096] = "";
	(void)!readlink("/proc/self/exe", exe, sizeof exe - 1);
	printf("own program: %s\n", strcmp(exe, "/proc/self/exe") == 0 ? "/proc/self/exe" : "a file");
	int fd = open("/proc/self/exe", O_RDONLY);
	printf("own program opened: %s\n", fd < 0 ? errno_name(errno) : "OK");
	return 7;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after") == 0)
		return after_exec(argc, argv);

	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGUSR1, &sa, NULL);
		sa.sa_flags = SA_RESTART;
		sigaction(SIGCHLD, &sa, NULL);
		signal(SIGUSR2, SIG_IGN);
		sigset_t mask;
		sigemptyset(&mask);
		sigaddset(&mask, SIGHUP);
		sigprocmask(SIG_BLOCK, &mask, NULL);
		raise(SIGHUP);
		alarm(100);
		umask(027);
		if (chdir("/tmp") != 0)
			_exit(101);
		setpriority(PRIO_PROCESS, 0, 5);
		setpgid(0, 0);
		static char altstack[65536];
		stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
		sigaltstack(&ss, NULL);
		prctl(PR_SET_NAME, "before-exec");

		char pid_text[16], ppid_text[16];
		snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
		snprintf(ppid_text, sizeof ppid_text, "%d", (int)getppid());
		char *args[] = {"renamed-zero", "after", pid_text, ppid_text, NULL};
		char *env[] = {"ONLY=this", NULL};
		execve("/proc/self/exe", args, env);
		_exit(127);
	}
	int status = -1;
	require(waitpid(pid, &status, 0) == pid, "waitpid");
	printf("exec'd child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	int fd = open("/proc/self/exe", O_WRONLY);
	printf("own program opened for writing: %s\n", fd < 0 ? errno_name(errno) : "OK");
	printf("exec of a copy still open for writing: %s\n", exec_copy_open_for_writing());
	return 0;
}
