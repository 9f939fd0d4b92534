/* volume-concurrent: I/O from several threads and processes at once on one
 * folder (in sole, a volume with many 9P requests in flight), with every
 * byte checked. Run by test-apps/volume-test's files case: natively and in
 * sole, the output and the folder left behind must match.
 *
 *   volume-concurrent DIR
 *
 * A shared file is written first. Then four threads at once each write a
 * file of their own and read it back, read the shared file whole (in sole,
 * page-cache fills racing for the same pages) and map it; then four
 * processes at once (each alone in its address space, so in sole its reads
 * sleep while the others send theirs) do the same with large reads and
 * fsync. Each group starts together (a barrier, a pipe closing), so its
 * requests meet in flight. Each line says what was checked, never in what order it ran. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define WORKERS 4
#define SHARED_SIZE (3 * 1024 * 1024 + 1234) /* not a whole number of pages */
#define OWN_SIZE (2 * 1024 * 1024 + 4321)

static const char *dir;
static pthread_barrier_t start_threads;
static int start_processes[2]; /* a pipe: its end closing starts them all */

/* Byte at of a file: differs between files and along each. */
static uint8_t pattern(int file, size_t at) { return (uint8_t)(file * 131 + at * 7 + at / 4096); }

static void fill(uint8_t *buf, int file, size_t from, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(file, from + i);
}

/* Where buf first differs from the file's bytes at from, or len. */
static size_t first_wrong(const uint8_t *buf, int file, size_t from, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(file, from + i))
			return i;
	return len;
}

static void path_of(char *path, size_t size, const char *kind, int n)
{
	snprintf(path, size, "%s/%s-%d", dir, kind, n);
}

/* Writes size bytes of file's pattern to path in writes of chunk bytes. */
static int write_file(const char *path, int file, size_t size, size_t chunk, int sync)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	uint8_t *buf = malloc(chunk);
	if (fd < 0 || !buf)
		return -1;
	for (size_t at = 0; at < size; at += chunk) {
		size_t n = size - at < chunk ? size - at : chunk;
		fill(buf, file, at, n);
		if (write(fd, buf, n) != (ssize_t)n)
			return -1;
	}
	free(buf);
	if (sync && fsync(fd))
		return -1;
	return close(fd);
}

/* Reads path whole in reads of chunk bytes: 0 when it holds size bytes of
 * file's pattern. */
static int check_file(const char *path, int file, size_t size, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	uint8_t *buf = malloc(chunk);
	if (fd < 0 || !buf)
		return -1;
	size_t at = 0;
	for (;;) {
		ssize_t n = read(fd, buf, chunk);
		if (n < 0 || first_wrong(buf, file, at, (size_t)n) != (size_t)n)
			return -1;
		if (n == 0)
			break;
		at += (size_t)n;
	}
	free(buf);
	close(fd);
	return at == size ? 0 : -1;
}

/* The shared file through a private mapping, every byte. */
static int check_mapped(int file, size_t size)
{
	char path[4096];
	path_of(path, sizeof path, "shared", 0);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	uint8_t *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	int wrong = first_wrong(p, file, 0, size) != size;
	munmap(p, size);
	return wrong ? -1 : 0;
}

/* One worker's part, n of kind: its own file written and read back, then
 * the shared file read and mapped. The reads' sizes differ between
 * workers, so their requests to the host differ too. */
static int work(const char *kind, int n, int sync)
{
	char own[4096], shared[4096];
	path_of(own, sizeof own, kind, n);
	path_of(shared, sizeof shared, "shared", 0);
	int file = n + 1 + (kind[0] == 'p' ? WORKERS : 0);
	size_t chunk = n % 2 ? 1024 * 1024 : 64 * 1024 + 512 * (size_t)n;
	if (write_file(own, file, OWN_SIZE, chunk, sync))
		return 1;
	if (check_file(own, file, OWN_SIZE, chunk))
		return 2;
	if (check_file(shared, 0, SHARED_SIZE, chunk + 4096))
		return 3;
	return check_mapped(0, SHARED_SIZE) ? 4 : 0;
}

static void *thread_main(void *arg)
{
	pthread_barrier_wait(&start_threads);
	return (void *)(intptr_t)work("thread", (int)(intptr_t)arg, 0);
}

static void threads(void)
{
	pthread_t t[WORKERS];
	require(pthread_barrier_init(&start_threads, NULL, WORKERS) == 0, "pthread_barrier_init");
	for (int n = 0; n < WORKERS; n++)
		require(pthread_create(&t[n], NULL, thread_main, (void *)(intptr_t)n) == 0, "pthread_create");
	for (int n = 0; n < WORKERS; n++) {
		void *result;
		pthread_join(t[n], &result);
		printf("thread %d: own file written and read back, shared file read and mapped: %s\n", n,
		       result ? "FAILED" : "ok");
		if (result)
			printf("  (step %d)\n", (int)(intptr_t)result);
	}
}

static void processes(void)
{
	pid_t pids[WORKERS];
	require(pipe(start_processes) == 0, "pipe");
	for (int n = 0; n < WORKERS; n++) {
		pids[n] = fork();
		require(pids[n] >= 0, "fork");
		if (pids[n] == 0) {
			char c;
			close(start_processes[1]);
			if (read(start_processes[0], &c, 1) != 0)
				_exit(5);
			_exit(work("process", n, 1));
		}
	}
	close(start_processes[0]);
	close(start_processes[1]);
	for (int n = 0; n < WORKERS; n++) {
		int status;
		require(waitpid(pids[n], &status, 0) == pids[n], "waitpid");
		printf("process %d: own file written, fsync'd and read back, shared file read and mapped: %s\n", n,
		       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "FAILED");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			printf("  (status %#x)\n", status);
	}
}

/* Every file again from this process, after all the workers are done. */
static void recheck(void)
{
	char path[4096];
	int bad = 0;
	for (int n = 0; n < WORKERS; n++) {
		path_of(path, sizeof path, "thread", n);
		bad += check_file(path, n + 1, OWN_SIZE, 1024 * 1024) != 0;
		path_of(path, sizeof path, "process", n);
		bad += check_file(path, n + 1 + WORKERS, OWN_SIZE, 1024 * 1024) != 0;
	}
	printf("afterwards: %d of %d files hold the wrong bytes\n", bad, 2 * WORKERS);
}

int main(int argc, char **argv)
{
	require(argc == 2, "usage: volume-concurrent DIR");
	dir = argv[1];
	char shared[4096];
	path_of(shared, sizeof shared, "shared", 0);
	require(write_file(shared, 0, SHARED_SIZE, 1024 * 1024, 1) == 0, "writing the shared file");
	printf("shared file: %d bytes written\n", SHARED_SIZE);
	fflush(stdout);
	threads();
	fflush(stdout);
	processes();
	recheck();
	return 0;
}
