/* sequential-io: sequential write, then read, of one file, timed by
 * CLOCK_MONOTONIC inside the app.
 *
 *   sequential-io PATH [MB]   (default 256)
 *
 * Writes MB MiB to PATH (created or truncated) in writes of 1 MiB, fsyncs
 * and closes it (all inside the write time); then reads it back in reads of
 * 1 MiB and checks every byte. Two lines, which bench/volumes.py parses:
 *   write seconds=S bytes=N
 *   read seconds=S bytes=N
 * Exit status 0 when every call did its whole part and the data came back. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Chunk number i's bytes, different in every chunk so a misplaced one shows. */
static void fill(unsigned char *chunk, long i)
{
	for (int at = 0; at < CHUNK; at += 4096)
		memset(chunk + at, (int)((i * 31 + at / 4096) & 0xff), 4096);
}

static int write_file(const char *path, long chunks, unsigned char *chunk)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return perror(path), 1;
	for (long i = 0; i < chunks; i++) {
		fill(chunk, i);
		if (write(fd, chunk, CHUNK) != CHUNK)
			return perror("write"), 1;
	}
	if (fsync(fd) || close(fd))
		return perror("fsync"), 1;
	return 0;
}

static int read_file(const char *path, long chunks, unsigned char *chunk, unsigned char *expected)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return perror(path), 1;
	for (long i = 0; i < chunks; i++) {
		ssize_t got = 0;
		while (got < CHUNK) {
			ssize_t n = read(fd, chunk + got, CHUNK - got);
			if (n <= 0)
				return fprintf(stderr, "read: chunk %ld ends early\n", i), 1;
			got += n;
		}
		fill(expected, i);
		if (memcmp(chunk, expected, CHUNK))
			return fprintf(stderr, "read: chunk %ld differs\n", i), 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fprintf(stderr, "usage: sequential-io PATH [MB]\n"), 2;
	long chunks = argc > 2 ? atol(argv[2]) : 256;
	unsigned char *chunk = malloc(CHUNK), *expected = malloc(CHUNK);
	if (!chunk || !expected)
		return 1;
	double start = seconds();
	if (write_file(argv[1], chunks, chunk))
		return 1;
	double written = seconds();
	if (read_file(argv[1], chunks, chunk, expected))
		return 1;
	double read = seconds();
	printf("write seconds=%.3f bytes=%ld\n", written - start, chunks * CHUNK);
	printf("read seconds=%.3f bytes=%ld\n", read - written, chunks * CHUNK);
	return 0;
}
