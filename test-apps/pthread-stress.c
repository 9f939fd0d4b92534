/* Threads under load: a mutex-protected counter, a condition variable
 * hand-off, a barrier, a reader-writer lock and thread-local storage. The
 * workers end with pthread_exit and one more thread is cancelled: dynamic
 * glibc unwinds those through libgcc_s, which it loads at run time.
 * Prints exact final counts, the same on every run. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS 6
#define ROUNDS 3000

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static long counter, shared_table[THREADS], reads_seen;
static int turn;
static _Thread_local long local_sum;

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
		local_sum += i;
	}
	pthread_barrier_wait(&barrier);
	/* Take turns in id order through the condition variable. */
	pthread_mutex_lock(&mutex);
	while (turn != id)
		pthread_cond_wait(&turn_changed, &mutex);
	turn++;
	pthread_cond_broadcast(&turn_changed);
	pthread_mutex_unlock(&mutex);
	for (int i = 0; i < ROUNDS / 10; i++) {
		pthread_rwlock_wrlock(&rwlock);
		shared_table[id]++;
		pthread_rwlock_unlock(&rwlock);
		pthread_rwlock_rdlock(&rwlock);
		long sum = 0;
		for (int k = 0; k < THREADS; k++)
			sum += shared_table[k];
		pthread_rwlock_unlock(&rwlock);
		__atomic_add_fetch(&reads_seen, sum > 0, __ATOMIC_RELAXED);
	}
	pthread_exit((void *)local_sum);
}

/* Waits in a cancellation point until cancelled. */
static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t threads[THREADS];
	pthread_barrier_init(&barrier, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, worker, (void *)i) != 0) {
			printf("pthread_create failed\n");
			return 1;
		}
	long local_total = 0;
	for (int i = 0; i < THREADS; i++) {
		void *result;
		pthread_join(threads[i], &result);
		local_total += (long)result;
	}
	long table_total = 0;
	for (int k = 0; k < THREADS; k++)
		table_total += shared_table[k];
	printf("counter %ld (expected %d)\n", counter, THREADS * ROUNDS);
	printf("turns taken %d\n", turn);
	printf("rwlock writes %ld, reads that saw data %ld\n", table_total, reads_seen);
	printf("thread-local sums %ld (expected %ld)\n", local_total, (long)THREADS * ROUNDS * (ROUNDS - 1) / 2);
	pthread_t cancelled;
	void *result = NULL;
	if (pthread_create(&cancelled, NULL, sleeper, NULL) == 0 && pthread_cancel(cancelled) == 0 &&
	    pthread_join(cancelled, &result) == 0)
		printf("cancelled thread joined: %s\n", result == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other");
	return counter == THREADS * ROUNDS ? 0 : 1;
}
