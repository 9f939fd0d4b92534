/* Calls around processes that have no family of their own:
 * process_vm_readv/writev between a parent and its child, unshare of a
 * descriptor table shared through CLONE_FILES, utime, and CPU time that
 * sleeping must not add to. Facts only, so
 * the output is the same natively and in sole. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <time.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include "common.h"

static char secret[32] = "the child's secret";

static void process_vm(void)
{
	int ready[2];
	require(pipe(ready) == 0, "pipe");
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		strcpy(secret, "changed in the child");
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	char byte;
	require(read(ready[0], &byte, 1) == 1, "read");
	char buf[32] = {0};
	struct iovec local = {buf, 20}, remote = {secret, 20};
	report_value("process_vm_readv", process_vm_readv(child, &local, 1, &remote, 1, 0));
	printf("  read: %s\n", buf);
	char text[] = "written by the parent";
	struct iovec from = {text, sizeof text}, to = {secret, sizeof text};
	report_value("process_vm_writev", process_vm_writev(child, &from, 1, &to, 1, 0));
	memset(buf, 0, sizeof buf);
	local.iov_len = remote.iov_len = sizeof text;
	report_value("process_vm_readv again", process_vm_readv(child, &local, 1, &remote, 1, 0));
	printf("  read: %s; the parent's own: %s\n", buf, secret);
	report("process_vm_readv with flags", process_vm_readv(child, &local, 1, &remote, 1, 1));
	struct iovec bad = {(void *)16, 8};
	report("process_vm_readv of a bad remote address", process_vm_readv(child, &local, 1, &bad, 1, 0));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	report("process_vm_readv of a reaped child", process_vm_readv(child, &local, 1, &remote, 1, 0));
}

static int shared_files_child(void *arg)
{
	(void)arg;
	int fd = open("/dev/null", O_RDONLY);
	/* After unshare, a descriptor opened here is this process's alone. */
	if (unshare(CLONE_FILES) != 0)
		return 1;
	int mine = open("/dev/null", O_RDONLY);
	return fd >= 0 && mine >= 0 ? mine : 2;
}

static void unshare_files(void)
{
	static char stack[64 * 1024];
	pid_t child = clone(shared_files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, NULL);
	require(child > 0, "clone");
	int status;
	waitpid(child, &status, 0);
	int mine = WEXITSTATUS(status);
	printf("unshare(CLONE_FILES) in a CLONE_FILES child: %s\n", mine > 2 ? "OK" : "failed");
	/* The child's first open landed in the shared table, its second did not. */
	printf("  the parent sees the shared open: %s, not the private one: %s\n",
	       fcntl(mine - 1, F_GETFD) >= 0 ? "yes" : "no", fcntl(mine, F_GETFD) < 0 ? "yes" : "no");
	close(mine - 1);
	report("unshare of unknown flags", unshare(0x2));
}

static void utime_calls(void)
{
	char path[] = "/tmp/process-extras-XXXXXX";
	int fd = mkstemp(path);
	require(fd >= 0, "mkstemp");
	close(fd);
	struct utimbuf times = {1000, 2000};
	report("utime", syscall(SYS_utime, path, &times));
	struct stat st;
	stat(path, &st);
	printf("  atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
	report("utime of a missing file", syscall(SYS_utime, "/nonexistent/file", &times));
	unlink(path);
}

static long long cpu_ns(void)
{
	struct timespec ts;
	require(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0, "clock_gettime");
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static long long rusage_us(void)
{
	struct rusage ru;
	require(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage");
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000ll + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Half a second asleep costs next to no CPU time. */
static void sleep_is_not_cpu_time(void)
{
	long long clock_before = cpu_ns(), rusage_before = rusage_us();
	struct timespec half = {0, 500000000};
	require(nanosleep(&half, NULL) == 0, "nanosleep");
	printf("CPU clock grew under 50 ms while asleep: %s\n", cpu_ns() - clock_before < 50000000 ? "yes" : "no");
	printf("getrusage grew under 50 ms while asleep: %s\n", rusage_us() - rusage_before < 50000 ? "yes" : "no");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	process_vm();
	unshare_files();
	utime_calls();
	sleep_is_not_cpu_time();
	return 0;
}
