/* A robust mutex whose owner dies holding it: the next locker gets
 * EOWNERDEAD, makes it consistent, and the mutex works again. The owner is
 * a thread that exits, or a process that execs (Linux releases the robust
 * and PI locks of an exec'ing thread as at exit), the mutex then being
 * process-shared in MAP_SHARED memory, plain and priority-inheriting. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "common.h"

static pthread_mutex_t mutex;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mutex);
	return NULL; /* exits without unlocking */
}

static const char *lock_result(int r)
{
	return r == EOWNERDEAD ? "EOWNERDEAD" : errno_name(r);
}

static void thread_owner_dies(void)
{
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&mutex, &attr);
	pthread_t t;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&mutex);
	printf("lock after the owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : r == 0 ? "0" : "other");
	printf("consistent: %d\n", pthread_mutex_consistent(&mutex));
	printf("unlock: %d\n", pthread_mutex_unlock(&mutex));
	printf("lock again: %d\n", pthread_mutex_lock(&mutex));
	printf("unlock again: %d\n", pthread_mutex_unlock(&mutex));
}

/* The exec'd image: it lives on, holding nothing, until the parent closes
 * the pipe whose read end is descriptor fd. */
static int wait_for_eof(const char *fd)
{
	char byte;
	while (read(atoi(fd), &byte, 1) > 0)
		;
	return 0;
}

/* A child locks a shared robust mutex and execs itself; the parent, whose
 * lock waits meanwhile, gets EOWNERDEAD while the new image still runs. */
static void process_owner_execs(int protocol, const char *label)
{
	pthread_mutex_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setprotocol(&attr, protocol);
	pthread_mutex_init(shared, &attr);
	int locked[2], hold[2];
	if (pipe(locked) || pipe(hold))
		return;
	pid_t child = fork();
	if (child == 0) {
		pthread_mutex_lock(shared);
		close(hold[1]);
		if (write(locked[1], "l", 1) != 1)
			_exit(1);
		usleep(100 * 1000); /* the parent's lock is likely waiting by now */
		char fd[16];
		snprintf(fd, sizeof fd, "%d", hold[0]);
		execl("/proc/self/exe", "robust-mutex", "wait-for-eof", fd, (char *)NULL);
		_exit(127);
	}
	close(hold[0]);
	char byte;
	if (read(locked[0], &byte, 1) != 1)
		return;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	int r = pthread_mutex_timedlock(shared, &deadline);
	printf("%s: lock while its owner's process runs a new image: %s\n", label, lock_result(r));
	printf("%s: consistent: %s\n", label, errno_name(pthread_mutex_consistent(shared)));
	printf("%s: unlock: %s\n", label, errno_name(pthread_mutex_unlock(shared)));
	close(hold[1]);
	int status;
	waitpid(child, &status, 0);
	printf("%s: the new image exited: %d\n", label, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	close(locked[0]);
	close(locked[1]);
	munmap(shared, sizeof *shared);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "wait-for-eof") == 0)
		return wait_for_eof(argv[2]);
	thread_owner_dies();
	process_owner_execs(PTHREAD_PRIO_NONE, "shared");
	process_owner_execs(PTHREAD_PRIO_INHERIT, "shared PI");
	return 0;
}
