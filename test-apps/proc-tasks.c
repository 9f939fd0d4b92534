/* /proc/self/task: a folder per thread, each with that thread's comm, stat
 * (its own state letter) and status (its own Pid:), as ps -L, gdb and LTP's
 * futex tests read them. And /proc's names are the kernel's: making one
 * there is ENOENT, removing one EPERM. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

static int block_pipe[2];
static pthread_barrier_t started;
static pid_t sleeper_tid;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "sleeper");
	sleeper_tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&started);
	char c;
	return (void *)(long)read(block_pipe[0], &c, 1);
}

/* The first line of /proc/self/task/TID/NAME, or "" when it cannot be read. */
static void read_task_file(pid_t tid, const char *name, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/%s", (int)tid, name);
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)size, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

/* The state letter of a stat line: the field after the ")" of the name. */
static char stat_state(const char *line)
{
	const char *close = strrchr(line, ')');
	return close && close[1] == ' ' ? close[2] : '?';
}

static int pid_in_status(pid_t tid)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
	FILE *f = fopen(path, "r");
	int pid = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "Pid:", 4) == 0)
			pid = atoi(line + 4);
	if (f)
		fclose(f);
	return pid;
}

static void show(const char *label, int rc) { printf("%s: %s\n", label, rc < 0 ? errno_name(errno) : "OK"); }

static void proc_names_are_fixed(void)
{
	show("create /proc/x", open("/proc/x", O_CREAT | O_WRONLY, 0600));
	show("mkdir /proc/d", mkdir("/proc/d", 0700));
	show("mkdir /proc/self/fd/d", mkdir("/proc/self/fd/d", 0700));
	show("symlink /proc/self/l", symlink("x", "/proc/self/l"));
	show("link /proc/meminfo", link("/proc/meminfo", "/proc/m2"));
	show("unlink /proc/self/status", unlink("/proc/self/status"));
	show("unlink /proc/meminfo", unlink("/proc/meminfo"));
	show("rmdir /proc/self/fd", rmdir("/proc/self/fd"));
}

int main(void)
{
	pthread_t t;
	if (pipe(block_pipe) || pthread_barrier_init(&started, NULL, 2) || pthread_create(&t, NULL, sleeper, NULL))
		return 1;
	pthread_barrier_wait(&started);
	pthread_setname_np(pthread_self(), "main-thread");
	usleep(100000); /* let the sleeper block in read */

	DIR *d = opendir("/proc/self/task");
	int tasks = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		tasks += e->d_name[0] != '.';
	if (d)
		closedir(d);
	printf("task folders: %d\n", tasks);

	char line[512];
	pid_t me = (pid_t)syscall(SYS_gettid);
	read_task_file(me, "comm", line, sizeof line);
	printf("main comm: %s\n", line);
	read_task_file(sleeper_tid, "comm", line, sizeof line);
	printf("sleeper comm: %s\n", line);
	read_task_file(sleeper_tid, "stat", line, sizeof line);
	printf("sleeper state: %c\n", stat_state(line));
	printf("sleeper stat names its tid: %s\n", atoi(line) == sleeper_tid ? "yes" : "no");
	read_task_file(me, "stat", line, sizeof line);
	printf("main state: %c\n", stat_state(line));
	printf("status Pid: is the tid: %s\n", pid_in_status(sleeper_tid) == sleeper_tid ? "yes" : "no");
	read_task_file(99999, "comm", line, sizeof line);
	printf("a missing thread's comm: \"%s\"\n", line);

	if (write(block_pipe[1], "x", 1) != 1 || pthread_join(t, NULL))
		return 1;
	proc_names_are_fixed();
	return 0;
}
