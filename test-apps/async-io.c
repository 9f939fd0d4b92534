/* Signal-driven I/O and file leases: O_ASYNC on a pipe and a socketpair
 * with SIGIO and with F_SETSIG's queued signal (si_code, si_band, si_fd),
 * an F_OWNER_TID owner, and F_SETLEASE: the EAGAIN, EINVAL and EACCES
 * cases, a break by a forked child's open that the holder answers in its
 * handler, an O_NONBLOCK opener's EWOULDBLOCK, and F_GETLEASE. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "common.h"

static volatile sig_atomic_t got, got_code, got_fd, release_in_handler;
static volatile long got_band;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)ctx;
	if (!got) {
		got_code = si->si_code;
		got_fd = si->si_fd;
		got_band = si->si_band;
	}
	got++;
	if (release_in_handler)
		fcntl(si->si_fd, F_SETLEASE, F_UNLCK);
}

static void handle(int sig)
{
	struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART};
	sigaction(sig, &sa, NULL);
}

static void reset(void) { got = got_code = got_fd = 0, got_band = 0; }

static const char *result(int r) { return r < 0 ? errno_name(errno) : "OK"; }

static void report_signal(const char *what)
{
	printf("%s: signalled %s, si_code %d, si_fd %d, si_band %#lx\n", what, got ? "yes" : "no", got_code,
	       got ? got_fd : -1, got ? got_band : 0);
	reset();
}

static void pipe_sigio(void)
{
	int p[2];
	pipe(p);
	handle(SIGIO);
	fcntl(p[0], F_SETOWN, getpid());
	printf("F_GETOWN is the pid: %s\n", fcntl(p[0], F_GETOWN) == getpid() ? "yes" : "no");
	write(p[1], "x", 1);
	printf("without O_ASYNC: signalled %s\n", got ? "yes" : "no");
	fcntl(p[0], F_SETFL, O_ASYNC);
	printf("F_GETFL has O_ASYNC: %s\n", fcntl(p[0], F_GETFL) & O_ASYNC ? "yes" : "no");
	write(p[1], "x", 1);
	printf("pipe, SIGIO: signalled %s, si_code is SI_KERNEL: %s\n", got ? "yes" : "no",
	       got_code == SI_KERNEL ? "yes" : "no");
	reset();

	printf("F_GETSIG at first: %d\n", fcntl(p[0], F_GETSIG));
	printf("F_SETSIG 65: %s\n", result(fcntl(p[0], F_SETSIG, 65)));
	handle(SIGRTMIN + 1);
	fcntl(p[0], F_SETSIG, SIGRTMIN + 1);
	printf("F_GETSIG is SIGRTMIN+1: %s\n", fcntl(p[0], F_GETSIG) == SIGRTMIN + 1 ? "yes" : "no");
	write(p[1], "x", 1);
	report_signal("pipe, F_SETSIG");

	int off = 0;
	ioctl(p[0], FIOASYNC, &off);
	write(p[1], "x", 1);
	printf("after FIOASYNC 0: signalled %s, O_ASYNC %s\n", got ? "yes" : "no",
	       fcntl(p[0], F_GETFL) & O_ASYNC ? "on" : "off");
	int on = 1;
	ioctl(p[0], FIOASYNC, &on);
	write(p[1], "x", 1);
	report_signal("after FIOASYNC 1");
	close(p[0]);
	close(p[1]);
}

static void socket_sigio(void)
{
	int s[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	handle(SIGRTMIN + 1);
	fcntl(s[0], F_SETOWN, getpid());
	fcntl(s[0], F_SETSIG, SIGRTMIN + 1);
	fcntl(s[0], F_SETFL, O_ASYNC | O_NONBLOCK);
	send(s[1], "hello", 5, 0);
	report_signal("socketpair, F_SETSIG");
	close(s[0]);
	close(s[1]);
}

static int tid_pipe[2];

static void *owner_thread(void *arg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	siginfo_t si;
	int sig = sigwaitinfo(&set, &si);
	printf("F_OWNER_TID: the thread took it: %s, si_code %d, si_fd is the pipe: %s\n",
	       sig == SIGRTMIN + 2 ? "yes" : "no", si.si_code, si.si_fd == tid_pipe[0] ? "yes" : "no");
	return NULL;
}

static void thread_owner(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pipe(tid_pipe);
	volatile pid_t tid = 0;
	pthread_t t;
	pthread_create(&t, NULL, owner_thread, (void *)&tid);
	while (!tid)
		sched_yield();
	struct f_owner_ex owner = {.type = F_OWNER_TID, .pid = tid}, back;
	fcntl(tid_pipe[0], F_SETOWN_EX, &owner);
	fcntl(tid_pipe[0], F_GETOWN_EX, &back);
	printf("F_GETOWN_EX: type F_OWNER_TID %s, the tid %s\n", back.type == F_OWNER_TID ? "yes" : "no",
	       back.pid == tid ? "yes" : "no");
	fcntl(tid_pipe[0], F_SETSIG, SIGRTMIN + 2);
	fcntl(tid_pipe[0], F_SETFL, O_ASYNC);
	write(tid_pipe[1], "x", 1);
	pthread_join(t, NULL);
	sigpending(&set);
	printf("left pending for the process: %s\n", sigismember(&set, SIGRTMIN + 2) ? "yes" : "no");
	close(tid_pipe[0]);
	close(tid_pipe[1]);
}

static const char *lease_name(int type)
{
	return type == F_RDLCK ? "F_RDLCK" : type == F_WRLCK ? "F_WRLCK" : type == F_UNLCK ? "F_UNLCK" : "?";
}

static void child_open(const char *path, int flags, const char *what)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, flags);
		printf("child's %s: %s\n", what, result(fd));
		exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void leases(void)
{
	char path[] = "/tmp/async-io-lease-XXXXXX";
	int fd = mkstemp(path);
	write(fd, "data", 4);
	printf("read lease on an O_RDWR file: %s\n", result(fcntl(fd, F_SETLEASE, F_RDLCK)));
	close(fd);
	fd = open(path, O_RDONLY);
	int writer = open(path, O_WRONLY);
	printf("read lease while open for writing: %s\n", result(fcntl(fd, F_SETLEASE, F_RDLCK)));
	close(writer);
	printf("F_UNLCK without a lease: %s\n", result(fcntl(fd, F_SETLEASE, F_UNLCK)));
	printf("read lease: %s\n", result(fcntl(fd, F_SETLEASE, F_RDLCK)));
	printf("F_GETLEASE: %s\n", lease_name(fcntl(fd, F_GETLEASE)));
	printf("F_GETOWN is the pid: %s\n", fcntl(fd, F_GETOWN) == getpid() ? "yes" : "no");
	int other = open(path, O_RDONLY);
	printf("read-only open beside a read lease: %s\n", result(other));
	printf("write lease with another open: %s\n", result(fcntl(fd, F_SETLEASE, F_WRLCK)));
	close(other);
	printf("write lease, the only open: %s\n", result(fcntl(fd, F_SETLEASE, F_WRLCK)));
	printf("F_GETLEASE: %s\n", lease_name(fcntl(fd, F_GETLEASE)));
	printf("lease type 7: %s\n", result(fcntl(fd, F_SETLEASE, 7)));
	printf("F_UNLCK: %s\n", result(fcntl(fd, F_SETLEASE, F_UNLCK)));
	printf("F_GETLEASE: %s\n", lease_name(fcntl(fd, F_GETLEASE)));

	int p[2];
	pipe(p);
	printf("lease on a pipe: %s\n", result(fcntl(p[0], F_SETLEASE, F_RDLCK)));
	close(p[0]);
	close(p[1]);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int mine = open(path, O_RDONLY);
		setuid(65534);
		printf("lease by another user: %s\n", result(fcntl(mine, F_SETLEASE, F_RDLCK)));
		exit(0);
	}
	waitpid(pid, NULL, 0);

	/* A break by an open for writing: the holder lets go in its handler. */
	handle(SIGRTMIN + 3);
	fcntl(fd, F_SETSIG, SIGRTMIN + 3);
	fcntl(fd, F_SETLEASE, F_RDLCK);
	release_in_handler = 1;
	child_open(path, O_WRONLY, "open for writing");
	release_in_handler = 0;
	printf("the holder's F_GETLEASE: %s\n", lease_name(fcntl(fd, F_GETLEASE)));
	report_signal("break by a writer");

	/* An O_NONBLOCK opener does not wait: the holder hears of it all the
	 * same, and F_GETLEASE tells what the lease is to become. */
	handle(SIGIO);
	fcntl(fd, F_SETSIG, 0);
	fcntl(fd, F_SETLEASE, F_WRLCK);
	child_open(path, O_RDONLY | O_NONBLOCK, "O_NONBLOCK open");
	printf("holder signalled %s, SIGIO's si_code is SI_KERNEL: %s\n", got ? "yes" : "no",
	       got_code == SI_KERNEL ? "yes" : "no");
	reset();
	printf("F_GETLEASE while broken: %s\n", lease_name(fcntl(fd, F_GETLEASE)));
	printf("downgrade: %s\n", result(fcntl(fd, F_SETLEASE, F_RDLCK)));
	child_open(path, O_RDONLY | O_NONBLOCK, "O_NONBLOCK open after the downgrade");
	child_open(path, O_WRONLY | O_NONBLOCK, "O_NONBLOCK open for writing");
	fcntl(fd, F_SETLEASE, F_UNLCK);
	reset();
	child_open(path, O_WRONLY | O_NONBLOCK, "O_NONBLOCK open for writing, no lease");

	/* The last close ends the lease. */
	fcntl(fd, F_SETLEASE, F_RDLCK);
	close(fd);
	child_open(path, O_WRONLY | O_NONBLOCK, "O_NONBLOCK open after the holder closed");
	unlink(path);

	FILE *f = fopen("/proc/sys/fs/lease-break-time", "r");
	int seconds = -1;
	if (f && fscanf(f, "%d", &seconds) == 1)
		printf("lease-break-time: %d\n", seconds);
	if (f)
		fclose(f);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pipe_sigio();
	socket_sigio();
	thread_owner();
	leases();
	return 0;
}
