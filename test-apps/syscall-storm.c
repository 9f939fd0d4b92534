/* A syscall storm: from a seed, random syscall numbers with random arguments
 * (zero, -1, small ints, kernel and non-canonical addresses, valid buffers,
 * buffers that run into an unmapped page, paths, random words), to show that
 * nothing an app passes can panic or hang the kernel. Run it only inside sole:
 * natively it would rename, chmod and unlink whatever it can reach.
 *
 *     syscall-storm SEED [CALLS [THREADS]]
 *
 * The calls run in rounds, each in a child process of its own group, so that
 * an app that kills itself through its own arguments (munmap of its text,
 * arch_prctl of its TLS, seccomp...) ends only that round; every fourth
 * round runs as nobody. The parent kills a
 * round that blocks for longer than ROUND_SECONDS, reaps everything and prints
 * one deterministic line: "storm: seed S, N calls, kernel alive". Details of
 * each round go to stderr. STORM_VERBOSE=1 prints each call before making it;
 * under sole run --no-aslr a seed makes the same calls, pointers included.
 * With THREADS > 1, each round's calls come from that many threads at once,
 * each with a stream of its own (thread 0's is the single-threaded one), so
 * that one thread's munmap or close meets another's call in flight; the
 * calls are the same from run to run, their interleaving is not. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	CALLS_PER_ROUND = 100,
	ROUND_SECONDS = 2,
	HIGHEST_SYSCALL = 470,
	PAGE = 4096,
	BUFFER_PAGES = 2, /* followed by one PROT_NONE page */
	MAX_THREADS = 8,
};

/* splitmix64: one 64-bit state, good enough to spread seeds apart. */
static __thread uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t n)
{
	return rng_next() % n;
}

static unsigned char *buffer;     /* BUFFER_PAGES of read-write memory */
static const char *const paths[] = {
    "/tmp/storm", "/tmp/storm/file", "/tmp/storm/dir", "/dev/null", "/proc/self/maps",
    "/proc/self/exe", ".", "/", "", "/tmp/storm/fifo", "/tmp/storm/link",
};
enum { PATH_COUNT = sizeof paths / sizeof paths[0] };

/* One argument: the mix the issue names, weighted toward what reaches code
 * past the first checks (small ints are fds, flags and sizes). */
static uint64_t random_argument(void)
{
	switch (rng_below(14)) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2:
	case 3: return rng_below(16);
	case 4: return rng_below(4096);
	case 5: return 1ull << rng_below(64);
	case 6: return 0xffffffff80000000ull + rng_below(1 << 24) * 8;
	case 7: return 0xffff800000000000ull + rng_below(1ull << 36) * 8;
	case 8: return 0x0000800000000000ull + rng_below(1ull << 32); /* non-canonical */
	case 9:
	case 10: return (uint64_t)(buffer + rng_below(BUFFER_PAGES * PAGE));
	case 11: return (uint64_t)(buffer + BUFFER_PAGES * PAGE - 1 - rng_below(64)); /* straddles */
	case 12: return (uint64_t)paths[rng_below(PATH_COUNT)];
	default: return rng_below(2) ? rng_next() : (uint32_t)rng_next();
	}
}

/* Numbers past the table too: -1, the x32 bit, the end of the i386 range. */
static long random_number(void)
{
	static const long out_of_range[] = {-1, 512, 548, 1000, 0x40000000 | 1, 0x40000000 | 59, 0xffffffff, 0x7fffffff};
	if (rng_below(50) == 0)
		return out_of_range[rng_below(sizeof out_of_range / sizeof out_of_range[0])];
	return (long)rng_below(HIGHEST_SYSCALL + 1);
}

/* fork, vfork and clone: the new task leaves at once, without touching its
 * stack (random flags may have given it none, or the parent's). */
long storm_forklike(long number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
__asm__(".text\n"
        ".globl storm_forklike\n"
        "storm_forklike:\n"
        "	mov %rdi, %rax\n"
        "	mov %rsi, %rdi\n"
        "	mov %rdx, %rsi\n"
        "	mov %rcx, %rdx\n"
        "	mov %r8, %r10\n"
        "	mov %r9, %r8\n"
        "	syscall\n"
        "	test %rax, %rax\n"
        "	jnz 1f\n"
        "	mov $60, %eax\n"
        "	xor %edi, %edi\n"
        "	syscall\n"
        "	hlt\n"
        "1:	ret\n");

static long raw_syscall(long number, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(number), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
}

/* Rewrite the arguments of calls that would reach past this round's own
 * process group (the parent is pid 1 in sole, and kill(-1) reaches everyone):
 * such a call still runs, aimed at itself or at a pid nobody has. Returns
 * false for the calls left out: those whose Linux behaviour is to end the
 * process or to leave the storm meaningless. */
static bool tame_call(long number, uint64_t a[6])
{
	uint64_t self = (uint64_t)getpid();
	uint64_t target = rng_below(2) ? self : 0x3ffffff0;
	switch (number) {
	case SYS_rt_sigreturn:
	case SYS_pause:
	case SYS_exit:
	case SYS_exit_group:
	case SYS_reboot:
	case SYS_kexec_load:
	case SYS_kexec_file_load:
		return false;
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
	case SYS_ptrace:
	case SYS_process_vm_readv:
	case SYS_process_vm_writev:
	case SYS_pidfd_open:
	case SYS_prlimit64:
		if (number == SYS_ptrace)
			a[1] = target;
		else
			a[0] = target;
		return true;
	case SYS_tkill:
		a[0] = target;
		return true;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		a[0] = target;
		a[1] = target;
		return true;
	case SYS_pidfd_send_signal:
	case SYS_ioctl:
		/* a pidfd from pidfd_open(1) would reach the parent, and so would
		 * FIOSETOWN and SIOCSPGRP's SIGIO and SIGURG */
		return number != SYS_pidfd_send_signal && a[1] != 0x8901 && a[1] != 0x8902;
	case SYS_fcntl:
		if (a[1] == F_SETOWN)
			a[2] = target;
		return a[1] != F_SETOWN_EX;
	case SYS_clone:
		a[0] &= ~(uint64_t)CLONE_PARENT; /* its exit signal would go to the parent */
		return true;
	case SYS_clone3:
		if (a[0] >= (uint64_t)buffer && a[0] + 8 <= (uint64_t)buffer + BUFFER_PAGES * PAGE)
			*(uint64_t *)a[0] &= ~(uint64_t)CLONE_PARENT;
		return true;
	default:
		return true;
	}
}

static bool is_forklike(long number)
{
	return number == SYS_fork || number == SYS_vfork || number == SYS_clone || number == SYS_clone3;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Files the paths name, fds of several kinds at the small numbers (pipe,
 * sockets, file, folder, eventfd, epoll, timerfd, inotify, memfd, pty), the
 * buffers filled with argument-like words (so that iovecs and structs hold
 * pointers and sizes), and a 50 ms SIGALRM that breaks blocking calls. */
static void prepare_round(int null_fd)
{
	dup2(null_fd, 0);
	dup2(null_fd, 1);
	dup2(null_fd, 2);
	mkdir("/tmp/storm", 0755);
	mkdir("/tmp/storm/dir", 0755);
	close(open("/tmp/storm/file", O_CREAT | O_WRONLY, 0644));
	mkfifo("/tmp/storm/fifo", 0644);
	symlink("file", "/tmp/storm/link");
	int pipe_fds[2], socket_fds[2];
	pipe(pipe_fds);
	socketpair(AF_UNIX, SOCK_STREAM, 0, socket_fds);
	open("/tmp/storm/file", O_RDWR);
	open("/tmp/storm", O_RDONLY | O_DIRECTORY);
	eventfd(0, 0);
	socket(AF_INET, SOCK_DGRAM, 0);
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in any_port = {.sin_family = AF_INET};
	bind(listener, (struct sockaddr *)&any_port, sizeof any_port);
	listen(listener, 4);
	epoll_create1(0);
	timerfd_create(CLOCK_MONOTONIC, 0);
	inotify_init1(0);
	memfd_create("storm", 0);
	posix_openpt(O_RDWR);

	unsigned char *pages = mmap(NULL, (BUFFER_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE,
	                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED)
		_exit(3);
	mprotect(pages + BUFFER_PAGES * PAGE, PAGE, PROT_NONE);
	buffer = pages;
	uint64_t *words = (uint64_t *)buffer;
	for (size_t i = 0; i < BUFFER_PAGES * PAGE / 8; i++)
		words[i] = i % 2 ? rng_below(256) : random_argument();

	for (int sig = 1; sig < 65; sig++)
		signal(sig, SIG_DFL);
	struct sigaction action = {.sa_handler = on_signal};
	sigaction(SIGALRM, &action, NULL);
	struct itimerval tick = {{0, 50000}, {0, 50000}};
	setitimer(ITIMER_REAL, &tick, NULL);
}

static void storm_calls(uint64_t seed, unsigned round, unsigned thread, unsigned calls, bool verbose)
{
	rng_state = (seed * 0x100000001b3ull + round) ^ ((uint64_t)thread << 48);
	for (unsigned i = 0; i < calls; i++) {
		long number = random_number();
		uint64_t a[6];
		for (int k = 0; k < 6; k++)
			a[k] = random_argument();
		if (!tame_call(number, a))
			continue;
		if (verbose)
			dprintf(3, "storm: round %u thread %u call %u: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", round,
			        thread, i, number, (unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2],
			        (unsigned long)a[3], (unsigned long)a[4], (unsigned long)a[5]);
		if (is_forklike(number))
			storm_forklike(number, a[0], a[1], a[2], a[3], a[4]);
		else
			raw_syscall(number, a);
	}
}

struct storm_thread {
	uint64_t seed;
	unsigned round, thread, calls;
	bool verbose;
};

static int threads_done;

static void *storm_thread(void *arg)
{
	const struct storm_thread *t = arg;
	storm_calls(t->seed, t->round, t->thread, t->calls, t->verbose);
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void storm_round(uint64_t seed, unsigned round, unsigned calls, unsigned threads, int null_fd, bool verbose)
{
	setpgid(0, 0);
	rng_state = seed * 0x100000001b3ull + round;
	prepare_round(null_fd);
	/* Every fourth round as nobody, through the permission checks. */
	if (round % 4 == 3 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
		_exit(3);
	static struct storm_thread helpers[MAX_THREADS];
	int started = 0;
	for (unsigned k = 1; k < threads; k++) {
		helpers[k] = (struct storm_thread){seed, round, k, calls, verbose};
		pthread_t id;
		if (pthread_create(&id, NULL, storm_thread, &helpers[k]) == 0)
			started++;
	}
	storm_calls(seed, round, 0, calls, verbose);
	/* The others get a second to finish; the round's exit ends the rest. */
	struct timespec tick = {0, 10000000};
	for (int waited = 0; waited < 100 && __atomic_load_n(&threads_done, __ATOMIC_SEQ_CST) < started; waited++)
		nanosleep(&tick, NULL);
}

/* MemFree from /proc/meminfo in kB, or -1: a kernel that leaks on the
 * storm's error paths shows it as a fall from the first rounds to the end. */
static long free_kb(void)
{
	FILE *meminfo = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;
	while (meminfo && fgets(line, sizeof line, meminfo))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	if (meminfo)
		fclose(meminfo);
	return kb;
}

static pid_t round_child;
static volatile sig_atomic_t round_timed_out;

static void on_watchdog(int sig)
{
	(void)sig;
	round_timed_out = 1;
	kill(round_child, SIGKILL);
}

/* Wait for the round, killing it when it outlives ROUND_SECONDS or stops
 * (ptrace(PTRACE_TRACEME) makes us its tracer). Returns how it ended. */
static int wait_round(pid_t child)
{
	round_child = child;
	round_timed_out = 0;
	alarm(ROUND_SECONDS);
	int status;
	for (;;) {
		pid_t got = waitpid(child, &status, __WALL);
		if (got == child && WIFSTOPPED(status)) {
			kill(child, SIGKILL);
			continue;
		}
		if (got == child || (got < 0 && errno != EINTR))
			break;
	}
	alarm(0);
	/* clone(CLONE_PARENT) children are ours; each left at once. */
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4)
		return 2; /* also an exec of /proc/self/exe with random arguments */
	uint64_t seed = strtoull(argv[1], NULL, 0);
	unsigned calls = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 2000;
	unsigned threads = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 1;
	if (threads < 1 || threads > MAX_THREADS)
		return 2;
	bool verbose = getenv("STORM_VERBOSE") != NULL;
	if (verbose)
		dup2(2, 3);
	int null_fd = open("/dev/null", O_RDWR);
	if (null_fd < 0 || fcntl(null_fd, F_DUPFD, 100) != 100)
		return 3;
	close(null_fd);
	null_fd = 100;
	/* What reaches the parent anyway (sole's pid 1 is not protected as
	 * Linux's init is) must not end it. A fault of its own must: caught,
	 * it would come back at once, for ever. */
	struct sigaction ignore = {.sa_handler = on_signal};
	for (int sig = 1; sig < 65; sig++)
		if (sig != SIGCHLD && sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE)
			sigaction(sig, &ignore, NULL);
	struct sigaction watchdog = {.sa_handler = on_watchdog};
	sigaction(SIGALRM, &watchdog, NULL);

	unsigned rounds = (calls + CALLS_PER_ROUND - 1) / CALLS_PER_ROUND;
	unsigned killed = 0, timed_out = 0;
	long free_after_first_round = -1;
	for (unsigned round = 0; round < rounds; round++) {
		fflush(NULL);
		pid_t child = fork();
		if (child < 0) {
			fprintf(stderr, "storm: round %u: fork: %s\n", round, strerror(errno));
			return 4;
		}
		if (child == 0) {
			unsigned left = calls - round * CALLS_PER_ROUND;
			storm_round(seed, round, left < CALLS_PER_ROUND ? left : CALLS_PER_ROUND, threads, null_fd, verbose);
			_exit(0);
		}
		int status = wait_round(child);
		if (round_timed_out) {
			timed_out++;
			fprintf(stderr, "storm: round %u blocked for %d s: killed\n", round, ROUND_SECONDS);
		} else if (WIFSIGNALED(status)) {
			killed++;
			fprintf(stderr, "storm: round %u ended by signal %d\n", round, WTERMSIG(status));
		}
		if (round == 0)
			free_after_first_round = free_kb();
	}
	fprintf(stderr, "storm: %u rounds, %u ended by a signal, %u blocked; free memory %ld kB after the first, %ld kB at the end\n",
	        rounds, killed, timed_out, free_after_first_round, free_kb());
	printf("storm: seed %llu, %u calls, kernel alive\n", (unsigned long long)seed, calls);
	return 0;
}
