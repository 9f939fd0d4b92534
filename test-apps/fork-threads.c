/* fork-threads: a process with three running threads forks. Only the calling
 * thread exists in the child (/proc/self/status says Threads: 1), and the child
 * can still malloc, print and create and join a thread of its own; the parent's
 * threads keep running and are joined afterwards. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define WORKERS 3

static atomic_int stop, running;
static atomic_long spins[WORKERS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_count;

static void *spin(void *arg)
{
	long id = (long)arg;
	atomic_fetch_add(&running, 1);
	while (!atomic_load(&stop)) {
		atomic_fetch_add(&spins[id], 1);
		/* Take and drop a lock and malloc, so the fork can land while others use them. */
		pthread_mutex_lock(&lock);
		locked_count++;
		pthread_mutex_unlock(&lock);
		free(malloc(64 + id));
		sched_yield();
	}
	return NULL;
}

/* The "Threads:" count from /proc/self/status, or -1. */
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

/* A joined thread may still be counted for a moment (Linux drops it from the
 * count after waking the joiner), so wait up to a second for the count. */
static int settles_at(int expected)
{
	for (int i = 0; i < 1000; i++) {
		if (thread_count() == expected)
			return 1;
		usleep(1000);
	}
	return 0;
}

static void *child_thread(void *arg)
{
	int *value = arg;
	char *copy = malloc(100);
	if (!copy)
		return NULL;
	snprintf(copy, 100, "thread in the child got %d", *value);
	return copy;
}

static int child(void)
{
	printf("child: threads: %d\n", thread_count());
	/* The workers do not run here: their counters stay where the fork left them. */
	long before[WORKERS], after[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		before[i] = atomic_load(&spins[i]);
	usleep(20000);
	int frozen = 1;
	for (int i = 0; i < WORKERS; i++) {
		after[i] = atomic_load(&spins[i]);
		frozen &= after[i] == before[i];
	}
	printf("child: workers' counters frozen: %d\n", frozen);
	char *buffer = malloc(1 << 20);
	printf("child: malloc works: %d\n", buffer != NULL);
	memset(buffer, 1, 1 << 20);
	free(buffer);
	int value = 17;
	pthread_t t;
	void *result = NULL;
	if (pthread_create(&t, NULL, child_thread, &value) != 0 || pthread_join(t, &result) != 0) {
		printf("child: pthread_create or join failed\n");
		return 1;
	}
	printf("child: %s\n", result ? (char *)result : "(nothing)");
	free(result);
	printf("child: threads after join is 1: %d\n", settles_at(1));
	fflush(stdout);
	return 3;
}

static void *fork_from_thread(void *arg)
{
	(void)arg;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("thread's child: threads: %d\n", thread_count());
		fflush(stdout);
		_exit(thread_count() == 1 ? 4 : 5);
	}
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return (void *)-1L;
	return (void *)(long)WEXITSTATUS(status);
}

int main(void)
{
	pthread_t workers[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		require(pthread_create(&workers[i], NULL, spin, (void *)i) == 0, "pthread_create");
	while (atomic_load(&running) < WORKERS)
		sched_yield();
	printf("parent: threads: %d\n", thread_count());
	fflush(stdout);

	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0)
		exit(child());
	int status = -1;
	printf("parent: waitpid gave the child: %d\n", waitpid(pid, &status, 0) == pid);
	printf("parent: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	/* The workers kept running in the parent during the child's life. */
	long before = atomic_load(&spins[0]);
	while (atomic_load(&spins[0]) == before)
		sched_yield();
	atomic_store(&stop, 1);
	for (int i = 0; i < WORKERS; i++)
		require(pthread_join(workers[i], NULL) == 0, "pthread_join");
	printf("parent: workers joined, threads is 1: %d\n", settles_at(1));

	/* Fork again from a thread other than main: the child's only thread is that one. */
	pthread_t forker;
	void *forked_status;
	require(pthread_create(&forker, NULL, fork_from_thread, NULL) == 0, "pthread_create");
	require(pthread_join(forker, &forked_status) == 0, "pthread_join");
	printf("parent: child of a thread exited %ld\n", (long)forked_status);
	return 0;
}
