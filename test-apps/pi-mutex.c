/* Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT, FUTEX_*_PI): a lock
 * under contention, trylock, error checking, robust owners that die (a
 * thread, and a process sharing the lock), condition variables, timeouts,
 * and the raw futex calls glibc and musl build on: FUTEX_LOCK_PI,
 * FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI, FUTEX_WAIT_REQUEUE_PI
 * and FUTEX_CMP_REQUEUE_PI with their errors; and priority inheritance
 * itself under SCHED_FIFO on one CPU (which needs root). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

/* From <linux/futex.h>, which musl's headers lack. */
#define FUTEX_WAKE 1
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_LOCK_PI_PRIVATE (FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_LOCK_PI2_PRIVATE (FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG)
#define FUTEX_UNLOCK_PI_PRIVATE (FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_TRYLOCK_PI_PRIVATE (FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_REQUEUE_PI_PRIVATE (FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PI_PRIVATE (FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

#define THREADS 4
#define ROUNDS 3000

static long futex(void *uaddr, int op, uint32_t val, const void *timeout_or_count, void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_count, uaddr2, val3);
}

static uint32_t gettid_now(void) { return (uint32_t)syscall(SYS_gettid); }

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&t, &t) != 0)
		;
}

/* Waits until thread tid blocks (its /proc state is S), so that what comes
 * next meets it waiting. */
static void wait_blocked(uint32_t tid)
{
	char path[64], stat[256];
	snprintf(path, sizeof path, "/proc/self/task/%u/stat", tid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(stat, 1, sizeof stat - 1, f) : 0;
		if (f)
			fclose(f);
		stat[n] = 0;
		char *end = strrchr(stat, ')');
		if (end && end[1] == ' ' && end[2] == 'S')
			return;
		sleep_ms(5);
	}
	printf("a thread never blocked\n");
}

static void pi_mutex_init(pthread_mutex_t *m, int type, int robust, int pshared)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, type);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutexattr_setrobust(&a, robust ? PTHREAD_MUTEX_ROBUST : PTHREAD_MUTEX_STALLED);
	pthread_mutexattr_setpshared(&a, pshared ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
	require(pthread_mutex_init(m, &a) == 0, "pthread_mutex_init");
	pthread_mutexattr_destroy(&a);
}

static const char *result_name(int r)
{
	return r == EOWNERDEAD ? "EOWNERDEAD" : r == EDEADLK ? "EDEADLK" : errno_name(r);
}

/* --- contention --- */
static pthread_mutex_t counted;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&counted);
		long seen = counter;
		if (i % 64 == 0)
			sched_yield(); /* let the others meet the lock held */
		counter = seen + 1;
		pthread_mutex_unlock(&counted);
	}
	return NULL;
}

static void contention(void)
{
	pi_mutex_init(&counted, PTHREAD_MUTEX_NORMAL, 0, 0);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, count_up, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("contention: counter %ld of %d\n", counter, THREADS * ROUNDS);
}

/* --- a lock handed from owner to waiter, trylock, timeouts --- */
static pthread_mutex_t held;
static uint32_t helper_tid;

static void *wait_for_held(void *arg)
{
	(void)arg;
	helper_tid = gettid_now();
	long r = pthread_mutex_lock(&held);
	pthread_mutex_unlock(&held);
	return (void *)r;
}

static void *try_held(void *arg)
{
	(void)arg;
	printf("trylock while another thread holds it: %s\n", errno_name(pthread_mutex_trylock(&held)));
	struct timespec at;
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 50000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	printf("timedlock while another thread holds it: %s\n", errno_name(pthread_mutex_timedlock(&held, &at)));
	return NULL;
}

static void handoff_and_trylock(void)
{
	pi_mutex_init(&held, PTHREAD_MUTEX_NORMAL, 0, 0);
	pthread_mutex_lock(&held);
	pthread_t t;
	pthread_create(&t, NULL, try_held, NULL);
	pthread_join(t, NULL);
	helper_tid = 0;
	pthread_create(&t, NULL, wait_for_held, NULL);
	while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	wait_blocked(helper_tid);
	printf("unlock to a waiter: %s\n", errno_name(pthread_mutex_unlock(&held)));
	void *got;
	pthread_join(t, &got);
	printf("waiter got the lock: %s\n", result_name((int)(long)got));
	printf("trylock when free: %s\n", errno_name(pthread_mutex_trylock(&held)));
	pthread_mutex_unlock(&held);
}

/* A signal handler runs while a thread waits for the lock: the wait goes
 * on afterwards (never EINTR), and the lock still comes to it. */
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled = 1;
}

static void interrupted_wait(void)
{
	struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
	helper_tid = 0;
	pthread_mutex_lock(&held);
	pthread_t t;
	pthread_create(&t, NULL, wait_for_held, NULL);
	while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	wait_blocked(helper_tid);
	pthread_kill(t, SIGUSR1);
	while (!handled)
		sleep_ms(1);
	wait_blocked(helper_tid);
	pthread_mutex_unlock(&held);
	void *got;
	pthread_join(t, &got);
	printf("a waiter interrupted by a handler got the lock: %s\n", result_name((int)(long)got));
}

static void error_checking(void)
{
	pthread_mutex_t m;
	pi_mutex_init(&m, PTHREAD_MUTEX_ERRORCHECK, 0, 0);
	printf("errorcheck lock: %s\n", errno_name(pthread_mutex_lock(&m)));
	printf("errorcheck lock again: %s\n", result_name(pthread_mutex_lock(&m)));
	printf("errorcheck unlock: %s\n", errno_name(pthread_mutex_unlock(&m)));
	printf("errorcheck unlock again: %s\n", errno_name(pthread_mutex_unlock(&m)));
}

/* --- owners that die holding the lock --- */
static pthread_mutex_t dying;
static int dying_wait_ms;

static void *lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&dying);
	helper_tid = gettid_now();
	if (dying_wait_ms)
		sleep_ms(dying_wait_ms);
	return NULL; /* ends holding it */
}

/* The owner thread ends holding a robust lock: before anyone waits for it
 * (waits = 0), or while the main thread waits (waits = 1). */
static void owner_thread_dies(const char *what, int waits)
{
	pi_mutex_init(&dying, PTHREAD_MUTEX_NORMAL, 1, 0);
	helper_tid = 0;
	dying_wait_ms = waits ? 200 : 0;
	pthread_t t;
	pthread_create(&t, NULL, lock_and_die, NULL);
	if (!waits)
		pthread_join(t, NULL);
	while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	int r = pthread_mutex_lock(&dying);
	printf("%s: lock: %s\n", what, result_name(r));
	if (r == EOWNERDEAD)
		printf("%s: consistent: %s\n", what, errno_name(pthread_mutex_consistent(&dying)));
	printf("%s: unlock: %s\n", what, errno_name(pthread_mutex_unlock(&dying)));
	printf("%s: lock again: %s\n", what, errno_name(pthread_mutex_lock(&dying)));
	pthread_mutex_unlock(&dying);
	if (waits)
		pthread_join(t, NULL);
}

/* A process-shared robust lock whose owner process ends holding it. */
static void owner_process_dies(int waits)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(m != MAP_FAILED, "mmap");
	pi_mutex_init(m, PTHREAD_MUTEX_NORMAL, 1, 1);
	int ready[2];
	require(pipe(ready) == 0, "pipe");
	pid_t child = fork_flushed();
	if (child == 0) {
		pthread_mutex_lock(m);
		write(ready[1], "x", 1);
		if (waits)
			sleep_ms(200);
		_exit(0);
	}
	char c;
	require(read(ready[0], &c, 1) == 1, "read");
	int status_seen = -1;
	if (!waits)
		status_seen = wait_code(child);
	int r = pthread_mutex_lock(m);
	if (waits)
		status_seen = wait_code(child);
	printf("shared, owner process %s: child %d, lock: %s\n", waits ? "dies while we wait" : "died", status_seen,
	       result_name(r));
	if (r == EOWNERDEAD)
		printf("shared: consistent: %s\n", errno_name(pthread_mutex_consistent(m)));
	printf("shared: unlock: %s\n", errno_name(pthread_mutex_unlock(m)));
	printf("shared: lock again: %s\n", errno_name(pthread_mutex_lock(m)));
	pthread_mutex_unlock(m);
	close(ready[0]);
	close(ready[1]);
	munmap(m, 4096);
}

/* --- a condition variable with a PI mutex --- */
static pthread_mutex_t cond_lock;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int waiting, go, woke;

static void *cond_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cond_lock);
	waiting++;
	while (!go)
		pthread_cond_wait(&cond, &cond_lock);
	woke++;
	pthread_mutex_unlock(&cond_lock);
	return NULL;
}

static void condition_variable(void)
{
	pi_mutex_init(&cond_lock, PTHREAD_MUTEX_NORMAL, 0, 0);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, cond_waiter, NULL);
	for (;;) {
		pthread_mutex_lock(&cond_lock);
		int n = waiting;
		if (n == 3)
			break;
		pthread_mutex_unlock(&cond_lock);
		sleep_ms(1);
	}
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&cond_lock);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("cond broadcast with a PI mutex: %d of 3 woke\n", woke);
}

/* --- the raw calls --- */
static uint32_t word, cond_word;

static void raw_errors(void)
{
	uint32_t me = gettid_now();
	word = 0;
	report("LOCK_PI free word", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word names the caller: %d\n", word == me);
	long again = futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	printf("LOCK_PI again: %s\n", again < 0 ? result_name(errno) : "OK");
	long try_own = futex(&word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	printf("TRYLOCK_PI own: %s\n", try_own < 0 ? result_name(errno) : "OK");
	report("UNLOCK_PI own", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word after unlock: %u\n", word);
	report("UNLOCK_PI free word", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));

	pid_t child = fork_flushed();
	if (child == 0)
		_exit(0);
	wait_code(child);
	word = (uint32_t)child; /* a thread that no longer exists */
	report("LOCK_PI dead owner", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	report("TRYLOCK_PI dead owner", futex(&word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	report("UNLOCK_PI not the owner", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	word = FUTEX_OWNER_DIED;
	report("LOCK_PI word freed by a dead owner", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word keeps OWNER_DIED: %d, names the caller: %d\n", !!(word & FUTEX_OWNER_DIED),
	       (word & FUTEX_TID_MASK) == me);
	word = 0;

	void *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	require(gone != MAP_FAILED, "mmap");
	munmap(gone, 4096);
	report("LOCK_PI bad address", futex(gone, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	report("UNLOCK_PI bad address", futex(gone, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	report("TRYLOCK_PI bad address", futex(gone, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
	report("LOCK_PI misaligned", futex((char *)&word + 1, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	report("LOCK_PI with CLOCK_REALTIME", futex(&word, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
	struct timespec bad = {0, 1000000000};
	word = 1;
	report("LOCK_PI2 bad timeout", futex(&word, FUTEX_LOCK_PI2, 0, &bad, NULL, 0));
	word = 0;
	report("CMP_REQUEUE_PI two to wake", futex(&cond_word, FUTEX_CMP_REQUEUE_PI, 2, 0, &word, 0));
	report("CMP_REQUEUE_PI same word", futex(&word, FUTEX_CMP_REQUEUE_PI, 1, 0, &word, 0));
	report("CMP_REQUEUE_PI value differs", futex(&cond_word, FUTEX_CMP_REQUEUE_PI, 1, 0, &word, 7));
	report("WAIT_REQUEUE_PI same word", futex(&word, FUTEX_WAIT_REQUEUE_PI, 0, NULL, &word, 0));
	report("WAIT_REQUEUE_PI value differs", futex(&cond_word, FUTEX_WAIT_REQUEUE_PI, 5, NULL, &word, 0));
}

/* Held by the main thread: a helper's timed and try locks fail. */
static void *raw_contender(void *arg)
{
	(void)arg;
	report("TRYLOCK_PI held by another", futex(&word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word has FUTEX_WAITERS: %d\n", !!(word & FUTEX_WAITERS));
	report("UNLOCK_PI by a non-owner", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_nsec += 30000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	report("LOCK_PI2 monotonic timeout", futex(&word, FUTEX_LOCK_PI2_PRIVATE, 0, &at, NULL, 0));
	clock_gettime(CLOCK_REALTIME, &at);
	at.tv_nsec += 30000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	report("LOCK_PI realtime timeout", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, &at, NULL, 0));
	report("LOCK_PI2 realtime timeout",
	       futex(&word, FUTEX_LOCK_PI2_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &at, NULL, 0));
	return NULL;
}

static void raw_contention(void)
{
	word = 0;
	futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	pthread_t t;
	pthread_create(&t, NULL, raw_contender, NULL);
	pthread_join(t, NULL);
	report("UNLOCK_PI with the waiters bit", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word after unlock: %u\n", word);
}

/* A non-robust lock whose owner thread ends while the main thread waits:
 * the waiter gets it, the word saying FUTEX_OWNER_DIED (glibc and musl
 * cannot show this: their non-robust PI mutexes assume it never happens). */
static void *raw_lock_and_die(void *arg)
{
	(void)arg;
	futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	__atomic_store_n(&helper_tid, gettid_now(), __ATOMIC_RELEASE);
	sleep_ms(200);
	return NULL;
}

static void raw_owner_dies(void)
{
	word = 0;
	helper_tid = 0;
	pthread_t t;
	pthread_create(&t, NULL, raw_lock_and_die, NULL);
	while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	report("LOCK_PI while its owner thread ends", futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word: OWNER_DIED %d, WAITERS %d, names the caller %d\n", !!(word & FUTEX_OWNER_DIED),
	       !!(word & FUTEX_WAITERS), (word & FUTEX_TID_MASK) == gettid_now());
	report("UNLOCK_PI", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	printf("word after unlock: %u\n", word);
	pthread_join(t, NULL);
}

/* Two threads each holding a lock the other wants: the second to ask
 * closes the circle and gets EDEADLK instead of waiting for ever. */
static uint32_t word_x, word_y;

static void *hold_x_want_y(void *arg)
{
	(void)arg;
	futex(&word_x, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	__atomic_store_n(&helper_tid, gettid_now(), __ATOMIC_RELEASE);
	long r = futex(&word_y, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	futex(&word_y, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	futex(&word_x, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	return (void *)r;
}

static void raw_deadlock(void)
{
	word_x = word_y = 0;
	helper_tid = 0;
	futex(&word_y, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	pthread_t t;
	pthread_create(&t, NULL, hold_x_want_y, NULL);
	while (!__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	wait_blocked(helper_tid);
	long r = futex(&word_x, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	printf("LOCK_PI closing a circle of waiters: %s\n", r < 0 ? result_name(errno) : "OK");
	report("UNLOCK_PI to the other side", futex(&word_y, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	void *got;
	pthread_join(t, &got);
	printf("the other side got its lock: %s\n", (long)got < 0 ? "no" : "OK");
	printf("words at the end: %u %u\n", word_x, word_y);
}

/* --- requeue PI: waiters on a condition word moved to a PI lock --- */
struct requeue_waiter {
	pthread_t thread;
	uint32_t tid;
	long result;
	int err;
	int owned; /* the lock word named it when it returned */
};

static void *requeue_wait(void *arg)
{
	struct requeue_waiter *w = arg;
	__atomic_store_n(&w->tid, gettid_now(), __ATOMIC_RELEASE);
	w->result = futex(&cond_word, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &word, 0);
	w->err = errno;
	w->owned = (word & FUTEX_TID_MASK) == gettid_now();
	if (w->result == 0)
		futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void start_requeue_waiter(struct requeue_waiter *w)
{
	w->tid = 0;
	pthread_create(&w->thread, NULL, requeue_wait, w);
	while (!__atomic_load_n(&w->tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	wait_blocked(w->tid);
}

static void print_requeue_waiter(const char *what, struct requeue_waiter *w)
{
	pthread_join(w->thread, NULL);
	printf("%s: %s, owned the lock: %d\n", what, w->result < 0 ? errno_name(w->err) : "OK", w->owned);
}

static void requeue_pi(void)
{
	struct requeue_waiter a, b, c;
	cond_word = 0;
	word = 0;
	start_requeue_waiter(&a);
	report("FUTEX_WAKE on a requeue-PI waiter", futex(&cond_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	report_value("CMP_REQUEUE_PI, lock free", futex(&cond_word, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 0, &word, 0));
	print_requeue_waiter("waiter woken owning the lock", &a);
	printf("word after its unlock: %u\n", word);

	futex(&word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	start_requeue_waiter(&b);
	start_requeue_waiter(&c);
	report_value("CMP_REQUEUE_PI, lock held",
	             futex(&cond_word, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)2, &word, 0));
	printf("word has FUTEX_WAITERS: %d\n", !!(word & FUTEX_WAITERS));
	report("UNLOCK_PI to requeued waiters", futex(&word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
	print_requeue_waiter("first requeued waiter", &b);
	print_requeue_waiter("second requeued waiter", &c);
	printf("word at the end: %u\n", word);

	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_nsec += 20000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	report("WAIT_REQUEUE_PI timeout", futex(&cond_word, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &at, &word, 0));
}

/* --- priority inheritance proper: the classic inversion on one CPU ---
 * A low-priority thread holds the lock, a high one waits for it and a
 * medium one spins. Lent the high priority, the low one runs past the
 * spinner and hands the lock over before the spinner is done; without
 * inheritance the spinner would starve it, and the high one with it. */
static pthread_mutex_t inverted;
static sem_t low_holds;
static int order, high_got_lock_at, medium_done_at, low_holds_ms;

static void spin_ms(long ms)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		clock_gettime(CLOCK_MONOTONIC, &now);
	while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

static void *low(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&inverted);
	sem_post(&low_holds);
	spin_ms(low_holds_ms);
	pthread_mutex_unlock(&inverted);
	return NULL;
}

static void *medium(void *arg)
{
	(void)arg;
	spin_ms(300);
	medium_done_at = __atomic_add_fetch(&order, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *high(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&inverted);
	high_got_lock_at = __atomic_add_fetch(&order, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&inverted);
	return NULL;
}

static pthread_t start_fifo(void *(*run)(void *), int priority)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_FIFO);
	struct sched_param p = {.sched_priority = priority};
	pthread_attr_setschedparam(&a, &p);
	pthread_t t;
	require(pthread_create(&t, &a, run, NULL) == 0, "pthread_create SCHED_FIFO");
	pthread_attr_destroy(&a);
	return t;
}

/* The chain: the low thread holds X; a middle one (15) holds Y and waits
 * for X; then the high one waits for Y. Its priority must travel through
 * the middle thread to the low one, which would stay below the spinner at
 * the middle thread's 15 otherwise. */
static pthread_mutex_t chained;
static uint32_t middle_tid;
static int high2_got_lock_at;

static void *middle(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&chained);
	__atomic_store_n(&middle_tid, gettid_now(), __ATOMIC_RELEASE);
	pthread_mutex_lock(&inverted);
	pthread_mutex_unlock(&inverted);
	pthread_mutex_unlock(&chained);
	return NULL;
}

static void *high_on_chain(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&chained);
	high2_got_lock_at = __atomic_add_fetch(&order, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&chained);
	return NULL;
}

static void priority_inversion(void)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	struct sched_param top = {.sched_priority = 50};
	require(sched_setaffinity(0, sizeof one, &one) == 0, "sched_setaffinity");
	errno = pthread_setschedparam(pthread_self(), SCHED_FIFO, &top);
	require(errno == 0, "pthread_setschedparam");
	pi_mutex_init(&inverted, PTHREAD_MUTEX_NORMAL, 0, 0);
	pi_mutex_init(&chained, PTHREAD_MUTEX_NORMAL, 0, 0);
	sem_init(&low_holds, 0, 0);

	low_holds_ms = 20;
	pthread_t l = start_fifo(low, 10);
	sem_wait(&low_holds);
	pthread_t m = start_fifo(medium, 20);
	pthread_t h = start_fifo(high, 30);
	pthread_join(h, NULL);
	pthread_join(m, NULL);
	pthread_join(l, NULL);
	printf("priority inheritance: the high thread got the lock before the medium one finished: %d\n",
	       high_got_lock_at < medium_done_at);

	low_holds_ms = 100;
	l = start_fifo(low, 10);
	sem_wait(&low_holds);
	pthread_t mid = start_fifo(middle, 15);
	while (!__atomic_load_n(&middle_tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	wait_blocked(middle_tid);
	m = start_fifo(medium, 20);
	h = start_fifo(high_on_chain, 30);
	pthread_join(h, NULL);
	pthread_join(m, NULL);
	pthread_join(mid, NULL);
	pthread_join(l, NULL);
	printf("through a chain of two locks: the high thread got its lock before the medium one finished: %d\n",
	       high2_got_lock_at < medium_done_at);

	struct sched_param normal = {.sched_priority = 0};
	pthread_setschedparam(pthread_self(), SCHED_OTHER, &normal);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	contention();
	handoff_and_trylock();
	interrupted_wait();
	error_checking();
	owner_thread_dies("robust, owner died", 0);
	owner_thread_dies("robust, owner dies while we wait", 1);
	owner_process_dies(0);
	owner_process_dies(1);
	condition_variable();
	raw_errors();
	raw_contention();
	raw_owner_dies();
	raw_deadlock();
	requeue_pi();
	priority_inversion();
	return 0;
}
