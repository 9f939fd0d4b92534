/* A futex requeue storm through raw syscalls: waiters on one word are
 * requeued onto another in batches, then released, and every one must wake
 * exactly once. Also FUTEX_WAIT's EAGAIN and timeout answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAITERS 12
/* From linux/futex.h, which musl's headers do not carry. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_CMP_REQUEUE_PRIVATE 132

static uint32_t gate, target;
static int woken, ready;

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout, uint32_t *word2,
		  uint32_t val3)
{
	return syscall(SYS_futex, word, op, val, timeout, word2, val3);
}

static void *waiter(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&gate, __ATOMIC_SEQ_CST) == 0)
		futex(&gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(void)
{
	uint32_t word = 5;
	struct timespec short_wait = {0, 20 * 1000 * 1000};
	long r = futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
	printf("wait on a changed value: %ld %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
	r = futex(&word, FUTEX_WAIT_PRIVATE, 5, &short_wait, NULL, 0);
	printf("wait with a timeout: %ld %s\n", r, r < 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
	r = futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	printf("wake with no waiter: %ld\n", r);

	pthread_t threads[WAITERS];
	for (int i = 0; i < WAITERS; i++)
		pthread_create(&threads[i], NULL, waiter, NULL);
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < WAITERS)
		sched_yield();
	struct timespec settle = {0, 50 * 1000 * 1000};
	nanosleep(&settle, NULL); /* let every waiter block */
	/* Wake one, move the rest to target, batch by batch; a mismatched
	 * CMP_REQUEUE must refuse with EAGAIN. */
	r = futex(&gate, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)WAITERS, &target, 99);
	printf("cmp_requeue with a wrong value: %s\n", r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
	long moved = futex(&gate, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)WAITERS, &target, 0);
	printf("requeued: %ld\n", moved);
	__atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
	long released = 0;
	while (released < moved) {
		long n = futex(&target, FUTEX_WAKE_PRIVATE, 3, NULL, NULL, 0);
		if (n <= 0)
			break;
		released += n;
	}
	printf("released from the target word: %ld\n", released);
	for (int i = 0; i < WAITERS; i++)
		pthread_join(threads[i], NULL);
	printf("woken: %d of %d\n", woken, WAITERS);
	return woken == WAITERS ? 0 : 1;
}
