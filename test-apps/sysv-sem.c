/* sysv-sem: SysV semaphores. semget's rules, every semctl command, semop
 * applied all or nothing, IPC_NOWAIT and timeouts, a lock that four
 * processes share, SEM_UNDO given back when a child is killed holding the
 * lock, waiters woken by SETVAL, by IPC_RMID (EIDRM) and by a signal
 * (EINTR), permissions for a user who is not root, and the error cases.
 * Prints facts, never ids, keys or pids. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define WORKERS 4
#define ROUNDS 300

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static int op(int id, unsigned short num, short delta, short flags)
{
	struct sembuf b = {num, delta, flags};
	return semop(id, &b, 1);
}

static int set_value(int id, int num, int value) { return semctl(id, num, SETVAL, (union semun){.val = value}); }

/* Waits until count (GETNCNT or GETZCNT) of semaphore num reaches want:
 * a child has gone to sleep in semop. */
static void wait_for_count(int id, int num, int cmd, int want)
{
	for (int i = 0; i < 10000 && semctl(id, num, cmd) != want; i++)
		usleep(1000);
	printf("%s of semaphore %d: %d\n", cmd == GETNCNT ? "GETNCNT" : "GETZCNT", num, semctl(id, num, cmd));
	fflush(stdout); /* before the child wakes and prints */
}

static void get_rules(key_t key)
{
	errno = 0;
	report("semget 0 semaphores", semget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
	report("semget too many", semget(IPC_PRIVATE, 40000, IPC_CREAT | 0600));
	report("semget missing key", semget(key, 1, 0600));
	int id = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
	report("semget new key", id);
	printf("fewer finds it: %d, none finds it: %d\n", semget(key, 2, 0) == id, semget(key, 0, 0) == id);
	report("semget more", semget(key, 4, 0));
	report("semget IPC_EXCL", semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
	struct semid_ds ds;
	require(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0, "IPC_STAT");
	printf("nsems %lu, mode %o, otime %d, ctime set %d, key matches %d\n", (unsigned long)ds.sem_nsems,
	       (unsigned)ds.sem_perm.mode & 0777, ds.sem_otime != 0, ds.sem_ctime != 0, ds.sem_perm.__key == key);
	ds.sem_perm.mode = 0640;
	report("IPC_SET", semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
	semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
	printf("mode after IPC_SET %o\n", (unsigned)ds.sem_perm.mode & 0777);
	report("IPC_RMID", semctl(id, 0, IPC_RMID));
	report("semget after IPC_RMID", semget(key, 3, 0));
	report("GETVAL after IPC_RMID", semctl(id, 0, GETVAL));
	report("semop after IPC_RMID", op(id, 0, 1, 0));
}

static void values(void)
{
	int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
	require(id >= 0, "semget");
	unsigned short all[3] = {9, 9, 9};
	semctl(id, 0, GETALL, (union semun){.array = all});
	printf("new set: %u %u %u\n", all[0], all[1], all[2]);
	report("SETVAL", set_value(id, 1, 5));
	report_value("GETVAL", semctl(id, 1, GETVAL));
	printf("GETPID is me: %d\n", semctl(id, 1, GETPID) == getpid());
	report("SETVAL -1", set_value(id, 1, -1));
	report("SETVAL 32768", set_value(id, 1, 32768));
	report("SETVAL semnum 3", set_value(id, 3, 1));
	report("GETVAL semnum -1", semctl(id, -1, GETVAL));
	unsigned short set[3] = {1, 2, 3};
	report("SETALL", semctl(id, 0, SETALL, (union semun){.array = set}));
	semctl(id, 0, GETALL, (union semun){.array = all});
	printf("GETALL: %u %u %u\n", all[0], all[1], all[2]);
	unsigned short too_big[3] = {1, 40000, 3};
	report("SETALL above SEMVMX", semctl(id, 0, SETALL, (union semun){.array = too_big}));
	report("GETALL to a bad address", semctl(id, 0, GETALL, (union semun){.array = (unsigned short *)8}));

	/* All or nothing: the second operation cannot go on, so neither does. */
	struct sembuf both[2] = {{0, -1, IPC_NOWAIT}, {1, -5, IPC_NOWAIT}};
	report("semop that cannot finish", semop(id, both, 2));
	semctl(id, 0, GETALL, (union semun){.array = all});
	printf("unchanged: %u %u %u\n", all[0], all[1], all[2]);
	struct sembuf ok[3] = {{0, -1, 0}, {1, 3, 0}, {2, 0, IPC_NOWAIT}};
	report("semop that waits for zero", semop(id, ok, 3));
	ok[2].sem_op = -3;
	report("semop of three", semop(id, ok, 3));
	semctl(id, 0, GETALL, (union semun){.array = all});
	printf("after: %u %u %u\n", all[0], all[1], all[2]);
	struct semid_ds ds;
	semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
	printf("otime set %d\n", ds.sem_otime != 0);
	report("semop IPC_NOWAIT", op(id, 0, -1, IPC_NOWAIT));
	set_value(id, 0, 1);
	report("semop past SEMVMX", op(id, 0, 32767, 0));
	set_value(id, 0, 0);
	report("semop 0 operations", semop(id, ok, 0));
	report("semop semnum 3", op(id, 3, 1, 0));
	struct sembuf many[501];
	memset(many, 0, sizeof many);
	report("semop 501 operations", semop(id, many, 501));
	report("semop bad address", semop(id, (struct sembuf *)8, 1));

	struct sembuf wait_one = {0, -1, 0};
	struct timespec short_wait = {0, 50 * 1000 * 1000};
	report("semtimedop times out", semtimedop(id, &wait_one, 1, &short_wait));
	struct timespec bad = {0, 1000000000};
	report("semtimedop bad timeout", semtimedop(id, &wait_one, 1, &bad));
	report("unknown command", semctl(id, 0, 12345));
	semctl(id, 0, IPC_RMID);
}

/* Four processes add to a counter in shared memory under the semaphore. */
static void shared_lock(void)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	require(id >= 0 && counter != MAP_FAILED, "setup");
	set_value(id, 0, 1);
	pid_t pids[WORKERS];
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork_flushed();
		if (pids[w] == 0) {
			for (int i = 0; i < ROUNDS; i++) {
				if (op(id, 0, -1, SEM_UNDO) != 0)
					_exit(1);
				long seen = *counter;
				if (i % 50 == 0)
					sched_yield(); /* let another try the lock */
				*counter = seen + 1;
				if (op(id, 0, 1, SEM_UNDO) != 0)
					_exit(2);
			}
			_exit(0);
		}
	}
	int failures = 0;
	for (int w = 0; w < WORKERS; w++)
		failures += wait_code(pids[w]) != 0;
	printf("workers failed: %d, counter %ld (want %d), lock value %d\n", failures, *counter, WORKERS * ROUNDS,
	       semctl(id, 0, GETVAL));
	semctl(id, 0, IPC_RMID);
	munmap(counter, 4096);
}

/* A child killed while holding the lock gives it back through SEM_UNDO,
 * and a waiting child gets it. */
static void undo_on_death(void)
{
	int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	require(id >= 0, "semget");
	set_value(id, 0, 1);
	int ready[2];
	require(pipe(ready) == 0, "pipe");
	pid_t holder = fork_flushed();
	if (holder == 0) {
		op(id, 0, -1, SEM_UNDO);
		char c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	char c;
	require(read(ready[0], &c, 1) == 1, "ready");
	printf("held: value %d, GETPID is the holder %d\n", semctl(id, 0, GETVAL), semctl(id, 0, GETPID) == holder);
	pid_t waiter = fork_flushed();
	if (waiter == 0) {
		int r = op(id, 0, -1, SEM_UNDO);
		printf("waiter got the lock: %s, value %d\n", r == 0 ? "OK" : errno_name(errno), semctl(id, 0, GETVAL));
		fflush(stdout);
		_exit(0);
	}
	wait_for_count(id, 0, GETNCNT, 1);
	kill(holder, SIGKILL);
	printf("holder ended %d\n", wait_code(holder));
	printf("waiter exited %d\n", wait_code(waiter));
	printf("after both: value %d, GETNCNT %d\n", semctl(id, 0, GETVAL), semctl(id, 0, GETNCNT));

	/* SETVAL clears the adjustments: what a child added stays. */
	pid_t child = fork_flushed();
	if (child == 0) {
		op(id, 1, 2, SEM_UNDO);
		_exit(0);
	}
	wait_code(child);
	printf("a child's +2 with SEM_UNDO, after its exit: %d\n", semctl(id, 1, GETVAL));
	child = fork_flushed();
	if (child == 0) {
		op(id, 1, 2, SEM_UNDO);
		set_value(id, 1, 7);
		_exit(0);
	}
	wait_code(child);
	printf("the same, then SETVAL 7, after its exit: %d\n", semctl(id, 1, GETVAL));
	/* An undo that would go below zero stops at zero. */
	child = fork_flushed();
	if (child == 0) {
		op(id, 1, 3, SEM_UNDO); /* 7 + 3, to be undone by 3 */
		op(id, 1, -9, 0);
		_exit(0);
	}
	wait_code(child);
	printf("after an undo that would go below zero: %d\n", semctl(id, 1, GETVAL));
	semctl(id, 0, IPC_RMID);
}

static void on_usr1(int sig) { (void)sig; }

/* Sleepers woken by a value of zero, by removal and by a signal. */
static void wakeups(void)
{
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	require(id >= 0, "semget");
	set_value(id, 0, 1);
	pid_t child = fork_flushed();
	if (child == 0) {
		int r = op(id, 0, 0, 0);
		printf("waiting for zero: %s\n", r == 0 ? "OK" : errno_name(errno));
		fflush(stdout);
		_exit(0);
	}
	wait_for_count(id, 0, GETZCNT, 1);
	set_value(id, 0, 0);
	printf("child exited %d\n", wait_code(child));

	child = fork_flushed();
	if (child == 0) {
		struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
		sigaction(SIGUSR1, &sa, NULL);
		int r = op(id, 0, -1, 0);
		printf("semop under a signal with SA_RESTART: %s\n", r == 0 ? "OK" : errno_name(errno));
		fflush(stdout);
		_exit(0);
	}
	wait_for_count(id, 0, GETNCNT, 1);
	kill(child, SIGUSR1);
	printf("child exited %d\n", wait_code(child));
	printf("GETNCNT after: %d\n", semctl(id, 0, GETNCNT));

	child = fork_flushed();
	if (child == 0) {
		int r = op(id, 0, -1, 0);
		printf("semop while the set is removed: %s\n", r == 0 ? "OK" : errno_name(errno));
		fflush(stdout);
		_exit(0);
	}
	wait_for_count(id, 0, GETNCNT, 1);
	/* The woken child prints first: the result is shown after it exits,
	 * so the order of the lines does not depend on who runs first. */
	long removed = semctl(id, 0, IPC_RMID);
	int saved_errno = errno;
	int code = wait_code(child);
	errno = saved_errno;
	report("IPC_RMID", removed);
	printf("child exited %d\n", code);
}

static void as_user(void)
{
	int private_id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	int readable_id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0644);
	require(private_id >= 0 && readable_id >= 0, "semget");
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setgid(65534) == 0 && setuid(65534) == 0, "setuid");
		errno = 0;
		report("user: GETVAL 0600", semctl(private_id, 0, GETVAL));
		report("user: semop 0600", op(private_id, 0, 1, IPC_NOWAIT));
		report("user: GETVAL 0644", semctl(readable_id, 0, GETVAL));
		report("user: wait for zero 0644", op(readable_id, 0, 0, IPC_NOWAIT));
		report("user: SETVAL 0644", set_value(readable_id, 0, 1));
		report("user: IPC_RMID", semctl(readable_id, 0, IPC_RMID));
		fflush(stdout);
		_exit(0);
	}
	printf("user child exited %d\n", wait_code(pid));
	semctl(private_id, 0, IPC_RMID);
	semctl(readable_id, 0, IPC_RMID);
}

static void info(void)
{
	struct seminfo si;
	memset(&si, 0, sizeof si);
	int slot = semctl(0, 0, IPC_INFO, (union semun){.__buf = &si});
	printf("IPC_INFO returns a slot %d, semvmx %d\n", slot >= 0, si.semvmx);
	printf("SEM_INFO returns a slot %d\n", semctl(0, 0, SEM_INFO, (union semun){.__buf = &si}) >= 0);
	errno = 0;
	report("semctl id -1", semctl(-1, 0, GETVAL));
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/sysv-sem-%d", (int)getpid());
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	require(fd >= 0, "key file");
	close(fd);
	key_t key = ftok(path, 'M');
	require(key != -1, "ftok");
	get_rules(key);
	values();
	shared_lock();
	undo_on_death();
	wakeups();
	as_user();
	info();
	unlink(path);
	return 0;
}
