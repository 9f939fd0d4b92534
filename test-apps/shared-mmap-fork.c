/* shared-mmap-fork: memory across fork. MAP_SHARED anonymous and file pages
 * written by the child are seen by the parent, MAP_PRIVATE ones are not;
 * process-shared semaphores, a mutex and a barrier in shared memory keep
 * parent and child in step; a MADV_DONTFORK area is absent in the child
 * (touching it is SIGSEGV) and a MADV_WIPEONFORK area reads as zeros there. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define PAGE 4096
#define ROUNDS 2000

static void shared_and_private(void)
{
	char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *private = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(shared != MAP_FAILED && private != MAP_FAILED, "mmap");
	strcpy(shared, "parent");
	strcpy(private, "parent");
	/* Page 2 of the shared area is touched first by the child. */
	pid_t pid = fork_flushed();
	if (pid == 0) {
		strcpy(shared, "child");
		strcpy(shared + 2 * PAGE, "child's new page");
		strcpy(private, "child");
		_exit(1);
	}
	printf("child exited %d\n", wait_code(pid));
	printf("MAP_SHARED page: %s, page the child touched first: %s\n", shared, shared + 2 * PAGE);
	printf("MAP_PRIVATE page: %s\n", private);

	char path[64];
	snprintf(path, sizeof path, "/tmp/shared-mmap-fork-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	require(fd >= 0 && ftruncate(fd, PAGE) == 0, "file");
	unlink(path);
	char *file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *file_private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	require(file != MAP_FAILED && file_private != MAP_FAILED, "mmap file");
	pid = fork_flushed();
	if (pid == 0) {
		strcpy(file, "written by the child");
		_exit(file_private[0] == 'w' ? 2 : 3); /* a private view of a clean page follows the file */
	}
	printf("child exited %d\n", wait_code(pid));
	char buf[32] = "";
	require(pread(fd, buf, 20, 0) == 20, "pread");
	printf("MAP_SHARED file: mapping %s, file %s\n", file, buf);
	munmap(file, PAGE);
	munmap(file_private, PAGE);
	close(fd);
	munmap(shared, 4 * PAGE);
	munmap(private, 4 * PAGE);
}

struct sync {
	sem_t ping, pong;
	pthread_mutex_t mutex;
	pthread_barrier_t barrier;
	long counter, turns;
};

static void synchronised(void)
{
	struct sync *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(s != MAP_FAILED, "mmap");
	require(sem_init(&s->ping, 1, 0) == 0 && sem_init(&s->pong, 1, 0) == 0, "sem_init");
	pthread_mutexattr_t mattr;
	pthread_mutexattr_init(&mattr);
	pthread_mutexattr_setpshared(&mattr, PTHREAD_PROCESS_SHARED);
	require(pthread_mutex_init(&s->mutex, &mattr) == 0, "mutex_init");
	pthread_barrierattr_t battr;
	pthread_barrierattr_init(&battr);
	pthread_barrierattr_setpshared(&battr, PTHREAD_PROCESS_SHARED);
	require(pthread_barrier_init(&s->barrier, &battr, 2) == 0, "barrier_init");

	pid_t pid = fork_flushed();
	int child = pid == 0;
	/* Ping-pong: strict alternation through two semaphores. */
	for (int i = 0; i < ROUNDS; i++) {
		if (child) {
			sem_wait(&s->ping);
			s->turns += 2; /* even after each child turn */
			sem_post(&s->pong);
		} else {
			s->turns -= 1;
			sem_post(&s->ping);
			sem_wait(&s->pong);
			s->turns -= 1;
		}
	}
	pthread_barrier_wait(&s->barrier);
	for (int i = 0; i < ROUNDS * 5; i++) {
		pthread_mutex_lock(&s->mutex);
		s->counter++;
		pthread_mutex_unlock(&s->mutex);
	}
	pthread_barrier_wait(&s->barrier);
	if (child)
		_exit(s->counter == 2 * ROUNDS * 5 ? 4 : 5);
	printf("child exited %d\n", wait_code(pid));
	printf("ping-pong turns balance: %ld, mutex counter: %ld\n", s->turns, s->counter);
	munmap(s, sizeof *s);
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(11);
}

static void fork_advice(void)
{
	char *dontfork = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *wipe = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(dontfork != MAP_FAILED && wipe != MAP_FAILED, "mmap");
	memset(dontfork, 'd', 2 * PAGE);
	memset(wipe, 'w', 2 * PAGE);
	report("MADV_DONTFORK", madvise(dontfork, 2 * PAGE, MADV_DONTFORK));
	report("MADV_WIPEONFORK", madvise(wipe, 2 * PAGE, MADV_WIPEONFORK));
	report("MADV_WIPEONFORK on a shared area",
	       madvise(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), PAGE,
	               MADV_WIPEONFORK));

	pid_t pid = fork_flushed();
	if (pid == 0) {
		int zeros = 1;
		for (int i = 0; i < 2 * PAGE; i++)
			zeros &= wipe[i] == 0;
		unsigned char vec[2];
		int absent = mincore(dontfork, 2 * PAGE, vec) < 0 && errno == ENOMEM;
		_exit(zeros * 2 + absent);
	}
	printf("child: wiped area reads zeros and the DONTFORK area is unmapped (3): %d\n", wait_code(pid));

	pid = fork_flushed();
	if (pid == 0) {
		signal(SIGSEGV, on_segv);
		*(volatile char *)dontfork = 'x';
		_exit(12);
	}
	printf("child touching the DONTFORK area: exited %d (11: SIGSEGV)\n", wait_code(pid));
	printf("parent keeps both: %c %c\n", dontfork[PAGE], wipe[PAGE]);

	report("MADV_DOFORK", madvise(dontfork, 2 * PAGE, MADV_DOFORK));
	report("MADV_KEEPONFORK", madvise(wipe, 2 * PAGE, MADV_KEEPONFORK));
	pid = fork_flushed();
	if (pid == 0)
		_exit(dontfork[0] == 'd' && wipe[0] == 'w' ? 13 : 14);
	printf("after DOFORK and KEEPONFORK the child sees both: %d\n", wait_code(pid) == 13);
	munmap(dontfork, 2 * PAGE);
	munmap(wipe, 2 * PAGE);
}

int main(void)
{
	shared_and_private();
	synchronised();
	fork_advice();
	return 0;
}
