/* parallel-io: several processes each writing, then reading, a file of
 * its own in one folder at the same time, timed by CLOCK_MONOTONIC: what
 * many requests in flight on a volume are for.
 *
 *   parallel-io DIR [PROCS [MB]]   (default 4 processes, 64 MB each)
 *
 * Each of PROCS children writes DIR/parallel-N in writes of 1 MiB and
 * fsyncs it; once all are done, each reads its file back in reads of 1 MiB
 * and checks every byte; then each makes COMMITS commits to DIR/commit-N,
 * as a database does: a write of 4 KiB, then fdatasync. Three lines, the
 * whole data or commits over the wall time of the phase (from the first
 * fork to the last exit):
 *   write procs=P MB/s=R
 *   read procs=P MB/s=R
 *   commit procs=P per_s=R
 * Exit status 0 when every child did its whole part. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)
#define COMMITS 200

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Chunk i of file n: a byte per page that differs between files and chunks. */
static void fill(unsigned char *chunk, int n, long i)
{
	for (int at = 0; at < CHUNK; at += 4096)
		memset(chunk + at, (int)((n * 97 + i * 31 + at / 4096) & 0xff), 4096);
}

static int write_file(const char *path, int n, long chunks)
{
	static unsigned char chunk[CHUNK];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return perror(path), 1;
	for (long i = 0; i < chunks; i++) {
		fill(chunk, n, i);
		if (write(fd, chunk, CHUNK) != CHUNK)
			return perror("write"), 1;
	}
	if (fsync(fd) || close(fd))
		return perror("fsync"), 1;
	return 0;
}

static int read_file(const char *path, int n, long chunks)
{
	static unsigned char chunk[CHUNK], expected[CHUNK];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return perror(path), 1;
	for (long i = 0; i < chunks; i++) {
		ssize_t got = 0;
		while (got < CHUNK) {
			ssize_t r = read(fd, chunk + got, CHUNK - got);
			if (r <= 0)
				return fprintf(stderr, "%s: chunk %ld ends early\n", path, i), 1;
			got += r;
		}
		fill(expected, n, i);
		if (memcmp(chunk, expected, CHUNK))
			return fprintf(stderr, "%s: chunk %ld differs\n", path, i), 1;
	}
	return close(fd) ? perror("close"), 1 : 0;
}

static int commit_file(const char *path, int n, long chunks)
{
	(void)chunks;
	static unsigned char block[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return perror(path), 1;
	for (int i = 0; i < COMMITS; i++) {
		memset(block, n * 97 + i, sizeof block);
		if (write(fd, block, sizeof block) != sizeof block || fdatasync(fd))
			return perror("commit"), 1;
	}
	return close(fd) ? perror("close"), 1 : 0;
}

/* Runs the phase in procs children at once: the wall time, or -1. */
static double phase(const char *dir, int procs, long chunks, int (*work)(const char *, int, long))
{
	double start = seconds();
	for (int n = 0; n < procs; n++) {
		pid_t pid = fork();
		if (pid < 0)
			return perror("fork"), -1;
		if (pid == 0) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s-%d", dir, work == commit_file ? "commit" : "parallel", n);
			_exit(work(path, n, chunks));
		}
	}
	int failed = 0, status;
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	return failed ? -1 : seconds() - start;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4)
		return fprintf(stderr, "usage: parallel-io DIR [PROCS [MB]]\n"), 2;
	int procs = argc > 2 ? atoi(argv[2]) : 4;
	long mb = argc > 3 ? atol(argv[3]) : 64;
	if (procs < 1 || mb < 1)
		return fprintf(stderr, "parallel-io: PROCS and MB must be positive\n"), 2;
	double total = (double)procs * (double)mb;
	double w = phase(argv[1], procs, mb, write_file);
	if (w < 0)
		return 1;
	printf("write procs=%d MB/s=%.0f\n", procs, total / w);
	double r = phase(argv[1], procs, mb, read_file);
	if (r < 0)
		return 1;
	printf("read procs=%d MB/s=%.0f\n", procs, total / r);
	double c = phase(argv[1], procs, mb, commit_file);
	if (c < 0)
		return 1;
	printf("commit procs=%d per_s=%.0f\n", procs, procs * COMMITS / c);
	return 0;
}
