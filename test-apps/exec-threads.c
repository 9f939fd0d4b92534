/* exec-threads: execve in a process with other threads. The other threads
 * end (even those blocked in read, futex wait or sleep), the new image has
 * one thread, and the pid stays the process's: also when a thread other than
 * the main one calls execve, the new image runs under the main thread's pid
 * and the parent's waitpid gets it there. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

extern char **environ;

static int block_pipe[2];
static pthread_mutex_t never_unlocked = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t started;
static char pid_text[16];

static int thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	int n = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Threads:", 8) == 0)
			n = atoi(line + 8);
	fclose(f);
	return n;
}

static void *blocked_in_read(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	char c;
	if (read(block_pipe[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static void *blocked_in_futex(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	pthread_mutex_lock(&never_unlocked);
	return NULL;
}

static void *sleeping(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	struct timespec ts = {100, 0};
	nanosleep(&ts, NULL);
	return NULL;
}

static void *spinning(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	for (volatile unsigned long i = 0;; i++)
		;
	return NULL;
}

static void exec_self(const char *who)
{
	char *args[] = {"exec-threads", "after", (char *)who, pid_text, NULL};
	execve("/proc/self/exe", args, environ);
}

static void *exec_from_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	exec_self("a second thread");
	return NULL;
}

/* In the child: start the threads (the main thread holds the mutex), then
 * exec from the main thread or from one more thread. */
static void child(int from_thread)
{
	snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
	require(pipe(block_pipe) == 0, "pipe");
	pthread_mutex_lock(&never_unlocked);
	void *(*bodies[])(void *) = {blocked_in_read, blocked_in_futex, sleeping, spinning, exec_from_thread};
	int threads = from_thread ? 5 : 4;
	pthread_barrier_init(&started, NULL, threads + 1);
	for (int i = 0; i < threads; i++) {
		pthread_t t;
		require(pthread_create(&t, NULL, bodies[i], NULL) == 0, "pthread_create");
	}
	pthread_barrier_wait(&started);
	if (from_thread) {
		for (;;)
			pause(); /* the exec ends this thread too */
	}
	exec_self("the main thread");
	_exit(127);
}

static void run(int from_thread)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0)
		child(from_thread);
	int status = -1;
	pid_t got = waitpid(pid, &status, 0);
	printf("waitpid gave the child's pid: %d, exited %d\n", got == pid,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after") == 0) {
		printf("exec'd by %s: threads %d, same pid %d\n", argv[2], thread_count(), getpid() == atoi(argv[3]));
		return 8;
	}
	run(0);
	run(1);
	return 0;
}
