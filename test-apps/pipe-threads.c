/* pipe-threads: two threads over blocking pipes: a producer and consumer
 * moving 1 MiB in odd-sized pieces, two writers whose PIPE_BUF records
 * never interleave, and epoll_wait in one thread woken by an eventfd write
 * in another. */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "common.h"

#define TOTAL (1 << 20)
#define RECORDS 64

static int fds[2];
static unsigned long long produced_sum = FNV1A_INIT;

static void *producer(void *arg)
{
	(void)arg;
	static unsigned char chunk[20000];
	uint32_t seed = 12345;
	size_t sent = 0;
	while (sent < TOTAL) {
		seed = seed * 1103515245u + 12345u;
		size_t n = 1 + seed % sizeof chunk;
		if (n > TOTAL - sent)
			n = TOTAL - sent;
		for (size_t i = 0; i < n; i++)
			chunk[i] = (unsigned char)((sent + i) * 7 + (sent + i) / 251);
		produced_sum = fnv1a(produced_sum, chunk, n);
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(fds[1], chunk + done, n - done);
			require(w > 0, "producer write");
			done += (size_t)w;
		}
		sent += n;
	}
	close(fds[1]);
	return NULL;
}

static void producer_consumer(void)
{
	require(pipe(fds) == 0, "pipe");
	pthread_t t;
	require(pthread_create(&t, NULL, producer, NULL) == 0, "pthread_create");
	static unsigned char buf[7000];
	unsigned long long sum = FNV1A_INIT;
	size_t total = 0;
	uint32_t seed = 99;
	ssize_t n;
	do {
		seed = seed * 1103515245u + 12345u;
		n = read(fds[0], buf, 1 + seed % sizeof buf);
		require(n >= 0, "consumer read");
		sum = fnv1a(sum, buf, (size_t)n);
		total += (size_t)n;
	} while (n > 0);
	pthread_join(t, NULL);
	close(fds[0]);
	printf("producer/consumer: %zu bytes, checksums agree: %s\n", total, sum == produced_sum ? "yes" : "no");
}

static void *record_writer(void *arg)
{
	static unsigned char record[2][PIPE_BUF];
	int id = (int)(intptr_t)arg;
	memset(record[id], 'A' + id, PIPE_BUF);
	for (int i = 0; i < RECORDS; i++)
		require(write(fds[1], record[id], PIPE_BUF) == PIPE_BUF, "record write");
	return NULL;
}

static void atomic_records(void)
{
	require(pipe(fds) == 0, "pipe");
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		require(pthread_create(&t[i], NULL, record_writer, (void *)(intptr_t)i) == 0, "pthread_create");
	static unsigned char record[PIPE_BUF];
	int whole = 0, counts[2] = {0, 0};
	for (int r = 0; r < 2 * RECORDS; r++) {
		size_t got = 0;
		while (got < PIPE_BUF) {
			ssize_t n = read(fds[0], record + got, PIPE_BUF - got);
			require(n > 0, "record read");
			got += (size_t)n;
		}
		int same = 1;
		for (int i = 1; i < PIPE_BUF; i++)
			same &= record[i] == record[0];
		whole += same;
		if (record[0] == 'A' || record[0] == 'B')
			counts[record[0] - 'A']++;
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	close(fds[0]);
	close(fds[1]);
	printf("records whole: %d of %d, A=%d B=%d\n", whole, 2 * RECORDS, counts[0], counts[1]);
}

static int efd;

static void *poster(void *arg)
{
	(void)arg;
	usleep(20000);
	uint64_t one = 5;
	require(write(efd, &one, sizeof one) == sizeof one, "eventfd write");
	return NULL;
}

static void epoll_across_threads(void)
{
	int ep = epoll_create1(0);
	efd = eventfd(0, 0);
	require(ep >= 0 && efd >= 0, "setup");
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 42};
	require(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "epoll_ctl");
	pthread_t t;
	require(pthread_create(&t, NULL, poster, NULL) == 0, "pthread_create");
	struct epoll_event out;
	int n = epoll_wait(ep, &out, 1, -1);
	uint64_t v = 0;
	read(efd, &v, sizeof v);
	pthread_join(t, NULL);
	printf("epoll woken by another thread: %d data=%llu value=%llu\n", n, (unsigned long long)out.data.u64,
	       (unsigned long long)v);
	close(efd);
	close(ep);
}

int main(void)
{
	producer_consumer();
	atomic_records();
	epoll_across_threads();
	return 0;
}
