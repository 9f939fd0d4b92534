/* A robust mutex whose owner thread dies holding it: the next locker gets
 * EOWNERDEAD, makes it consistent, and the mutex works again. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mutex;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mutex);
	return NULL; /* exits without unlocking */
}

int main(void)
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
	return 0;
}
