/* Signal handler ordering and masks: blocked signals wait in sigpending,
 * unblocking runs them, sigsuspend swaps the mask, SA_NODEFER lets a handler
 * nest, SA_RESETHAND runs once, real-time signals queue in order with their
 * values, rt_sigtimedwait and signalfd take them without a handler, and
 * tgkill reaches another thread; /proc/self/status shows the masks. */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char order[64];
static int order_len;
static volatile int depth, max_depth, calls;

static void record(int sig, siginfo_t *info, void *context)
{
	(void)context;
	const char *queued = info->si_code == SI_QUEUE ? "q" : "";
	int value = info->si_code == SI_QUEUE ? info->si_value.sival_int : 0;
	if (order_len > (int)sizeof order - 16)
		return;
	if (sig >= SIGRTMIN) /* glibc and musl reserve different numbers below it */
		order_len += sprintf(order + order_len, "rtmin+%d%s%d ", sig - SIGRTMIN, queued, value);
	else
		order_len += sprintf(order + order_len, "%d%s ", sig, queued);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		perror("sigaction");
}

static void nested(int sig, siginfo_t *info, void *context)
{
	(void)info, (void)context;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++calls < 3)
		raise(sig); /* runs inside this handler only under SA_NODEFER */
	depth--;
}

static void print_pending(const char *when)
{
	sigset_t pending;
	sigpending(&pending);
	printf("%s: pending USR1 %d USR2 %d TERM %d\n", when, sigismember(&pending, SIGUSR1),
	       sigismember(&pending, SIGUSR2), sigismember(&pending, SIGTERM));
}

/* The signal lines of /proc/self/status but SigQ (its limit is the
 * host's): pending, blocked, ignored and caught masks. */
static void print_status_masks(const char *when)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	while (f && fgets(line, sizeof line, f))
		if ((!strncmp(line, "Sig", 3) && strncmp(line, "SigQ", 4)) || !strncmp(line, "ShdPnd", 6))
			printf("%s: %s", when, line);
	if (f)
		fclose(f);
}

static void flush_order(const char *what)
{
	printf("%s: %s\n", what, order_len ? order : "(none)");
	order_len = 0;
	order[0] = 0;
}

static volatile pid_t handler_tid;
static volatile pid_t worker_tid;

static void note_thread(int sig)
{
	(void)sig;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static void *worker(void *arg)
{
	(void)arg;
	worker_tid = (pid_t)syscall(SYS_gettid);
	while (!handler_tid)
		sched_yield();
	return NULL;
}

int main(void)
{
	install(SIGUSR1, record, 0);
	install(SIGUSR2, record, 0);
	install(SIGTERM, record, 0);

	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	kill(getpid(), SIGTERM);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR1); /* a standard signal is pending once */
	print_pending("blocked");
	signal(SIGHUP, SIG_IGN);
	print_status_masks("status");
	signal(SIGHUP, SIG_DFL);
	flush_order("while blocked");
	sigprocmask(SIG_SETMASK, &old, NULL);
	print_pending("unblocked");
	/* Each handler's frame stacks on the last: the highest runs first. */
	flush_order("after unblock");

	/* A handler's sa_mask and the signal itself stay blocked inside it. */
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR2);
	sigset_t wait_mask;
	sigfillset(&wait_mask);
	sigdelset(&wait_mask, SIGUSR2);
	errno = 0;
	int r = sigsuspend(&wait_mask);
	printf("sigsuspend %d %s\n", r, errno_name(errno));
	flush_order("sigsuspend");
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("mask restored after sigsuspend: %d\n", sigismember(&now, SIGUSR1) && sigismember(&now, SIGUSR2));
	sigprocmask(SIG_SETMASK, &old, NULL);

	install(SIGUSR1, nested, SA_NODEFER);
	raise(SIGUSR1);
	printf("SA_NODEFER nesting depth %d\n", max_depth);
	max_depth = calls = 0;
	install(SIGUSR1, nested, 0);
	raise(SIGUSR1);
	printf("without SA_NODEFER depth %d, %d runs\n", max_depth, calls);

	install(SIGUSR2, record, SA_RESETHAND);
	raise(SIGUSR2);
	struct sigaction after;
	sigaction(SIGUSR2, NULL, &after);
	printf("SA_RESETHAND: handler now default %d\n", after.sa_handler == SIG_DFL);
	flush_order("resethand");

	/* Real-time signals queue, in order, each with its value. */
	int rt = SIGRTMIN + 2;
	install(rt, record, 0);
	sigemptyset(&block);
	sigaddset(&block, rt);
	sigprocmask(SIG_BLOCK, &block, NULL);
	for (int i = 5; i <= 7; i++)
		sigqueue(getpid(), rt, (union sigval){.sival_int = i});
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	flush_order("rt");

	/* rt_sigtimedwait takes a blocked signal without running its handler. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	struct timespec zero = {0, 0}, short_wait = {0, 20000000};
	errno = 0;
	r = sigtimedwait(&block, NULL, &zero);
	printf("sigtimedwait, nothing pending: %d %s\n", r, errno_name(errno));
	errno = 0;
	r = sigtimedwait(&block, NULL, &short_wait);
	printf("sigtimedwait, timeout: %d %s\n", r, errno_name(errno));
	sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
	siginfo_t info;
	int got = sigtimedwait(&block, &info, &zero);
	printf("sigtimedwait took %d code SI_QUEUE %d value %d\n", got, info.si_code == SI_QUEUE,
	       info.si_value.sival_int);
	flush_order("handlers run meanwhile");

	/* signalfd: readable while a signal in its mask is pending. */
	int sfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	require(sfd >= 0, "signalfd");
	struct pollfd pfd = {.fd = sfd, .events = POLLIN};
	printf("signalfd, nothing pending: poll %d\n", poll(&pfd, 1, 0));
	struct signalfd_siginfo ssi;
	errno = 0;
	long n = read(sfd, &ssi, sizeof ssi);
	printf("signalfd read, nothing pending: %ld %s\n", n, errno_name(errno));
	sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 9});
	printf("signalfd, one pending: poll %d revents POLLIN %d\n", poll(&pfd, 1, 1000), (pfd.revents & POLLIN) != 0);
	n = read(sfd, &ssi, sizeof ssi);
	printf("signalfd read %ld: signal %u SI_QUEUE %d value %d pid ours %d\n", n, ssi.ssi_signo,
	       ssi.ssi_code == SI_QUEUE, ssi.ssi_int, ssi.ssi_pid == (uint32_t)getpid());
	close(sfd);
	sigprocmask(SIG_UNBLOCK, &block, NULL);

	/* tgkill to another thread: its handler runs on that thread. */
	signal(SIGUSR2, note_thread);
	pthread_t thread;
	pthread_create(&thread, NULL, worker, NULL);
	while (!worker_tid)
		sched_yield();
	pid_t tid = worker_tid;
	syscall(SYS_tgkill, getpid(), tid, SIGUSR2);
	pthread_join(thread, NULL);
	printf("tgkill: handler ran on the target thread %d, main thread %d\n", handler_tid == tid,
	       handler_tid == (pid_t)syscall(SYS_gettid));
	errno = 0;
	long wrong = syscall(SYS_tgkill, getpid() + 1, tid, SIGUSR2);
	printf("tgkill with the wrong thread group: %ld %s\n", wrong, errno_name(errno));
	return 0;
}
