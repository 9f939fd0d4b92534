/* posix-mqueue: POSIX message queues. mq_open's rules (O_CREAT, O_EXCL,
 * names, attributes, RLIMIT_MSGQUEUE), the order of receipt (priority,
 * then arrival), EMSGSIZE, O_NONBLOCK and mq_setattr, absolute timeouts,
 * a receiver and a sender asleep in a child woken by the parent, mq_notify
 * by signal (si_code SI_MESGQ, once, only into an empty queue that no
 * receiver waits on), poll, select and epoll on the descriptor, the line
 * read() gives, fstat, unlink while open, and permissions for a user who
 * is not root. Queue names carry the pid, so that runs side by side on one
 * host do not meet; the output never shows it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char names[8][64];

/* "/pm-<pid>-<tag>", one per tag, unlinked at the end. */
static const char *qname(int tag)
{
	snprintf(names[tag], sizeof names[tag], "/pm-%d-%d", (int)getpid(), tag);
	return names[tag];
}

static mqd_t open_queue(const char *name, int flags, long maxmsg, long msgsize)
{
	struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
	mqd_t q = mq_open(name, flags | O_CREAT, 0600, &attr);
	require(q != (mqd_t)-1, name);
	return q;
}

static void print_attr(const char *label, mqd_t q)
{
	struct mq_attr a;
	if (mq_getattr(q, &a) != 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	printf("%s: maxmsg %ld, msgsize %ld, curmsgs %ld, nonblock %d\n", label, a.mq_maxmsg, a.mq_msgsize,
	       a.mq_curmsgs, (a.mq_flags & O_NONBLOCK) != 0);
}

static void receive(const char *label, mqd_t q, size_t room)
{
	char buf[16384];
	unsigned prio = 99;
	ssize_t n = mq_receive(q, buf, room, &prio);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: prio %u, %zd bytes, \"%.*s\"\n", label, prio, n, (int)n, buf);
}

/* An absolute CLOCK_REALTIME time ms from now. */
static struct timespec after_ms(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static void limits(void)
{
	static const char *files[] = {"queues_max", "msg_max", "msgsize_max", "msg_default", "msgsize_default"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[64], value[32] = "?";
		snprintf(path, sizeof path, "/proc/sys/fs/mqueue/%s", files[i]);
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(value, sizeof value, f))
				strcpy(value, "?\n");
			fclose(f);
		}
		printf("%s: %s", files[i], value);
	}
}

static void open_rules(void)
{
	const char *name = qname(0);
	errno = 0;
	report("open missing", mq_open(name, O_RDWR));
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	report("create", q);
	print_attr("defaults", q);
	int fdflags = fcntl(q, F_GETFD);
	printf("close-on-exec: %d\n", fdflags >= 0 && (fdflags & FD_CLOEXEC));
	report("create again, O_EXCL", mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
	mqd_t again = mq_open(name, O_RDONLY);
	report("open existing", again);
	report("open existing O_ACCMODE", mq_open(name, O_ACCMODE));
	mq_close(again);
	mq_close(q);
	mq_unlink(name);

	report("name with a slash", mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
	report("name \"/\"", mq_open("/", O_RDWR | O_CREAT, 0600, NULL));
	report("name \"/.\"", mq_open("/.", O_RDWR | O_CREAT, 0600, NULL));
	report("name \"/..\"", mq_open("/..", O_RDWR | O_CREAT, 0600, NULL));
	char long_name[300] = "/";
	memset(long_name + 1, 'q', 256);
	report("256-byte name", mq_open(long_name, O_RDWR | O_CREAT, 0600, NULL));
	report("unlink 256-byte name", mq_unlink(long_name));
	long_name[255] = 0; /* 254 bytes after the slash, and the pid-free name is unlikely to exist */
	long_name[1] = 'p';
	mqd_t longq = mq_open(long_name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	report("254-byte name", longq);
	mq_close(longq);
	report("unlink it", mq_unlink(long_name));
	report("unlink it again", mq_unlink(long_name));

	const char *sized = qname(1);
	struct mq_attr attr = {.mq_maxmsg = 0, .mq_msgsize = 16};
	report("maxmsg 0", mq_open(sized, O_RDWR | O_CREAT, 0600, &attr));
	attr = (struct mq_attr){.mq_maxmsg = 4, .mq_msgsize = -1};
	report("msgsize -1", mq_open(sized, O_RDWR | O_CREAT, 0600, &attr));
	attr = (struct mq_attr){.mq_maxmsg = 65537, .mq_msgsize = 16};
	report("maxmsg 65537", mq_open(sized, O_RDWR | O_CREAT, 0600, &attr));
	attr = (struct mq_attr){.mq_maxmsg = 5, .mq_msgsize = 100, .mq_curmsgs = 7, .mq_flags = O_NONBLOCK};
	q = mq_open(sized, O_RDWR | O_CREAT, 0600, &attr);
	report("maxmsg 5, msgsize 100, curmsgs and flags ignored", q);
	print_attr("its attributes", q);
	mq_close(q);
	mq_unlink(sized);
	report("mq_close twice", mq_close(q));
}

/* Priorities first, then arrival; the sizes a message and a buffer may have. */
static void ordering(void)
{
	const char *name = qname(2);
	mqd_t q = open_queue(name, O_RDWR, 8, 64);
	static const struct {
		const char *text;
		unsigned prio;
	} sent[] = {{"low", 1}, {"high-a", 10}, {"mid", 5}, {"high-b", 10}, {"zero", 0}, {"top", 32767}};
	for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++)
		mq_send(q, sent[i].text, strlen(sent[i].text), sent[i].prio);
	print_attr("after six sends", q);
	char qsize[128] = "";
	ssize_t n = read(q, qsize, sizeof qsize - 1);
	printf("read: %zd bytes: %s", n, n > 0 ? qsize : "\n");
	for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++)
		receive("receive", q, 64);

	char big[65] = {0};
	errno = 0;
	report("send 65 bytes", mq_send(q, big, 65, 0));
	report("send 64 bytes", mq_send(q, big, 64, 0));
	report("send prio 32768", mq_send(q, "x", 1, 32768));
	report("send bad address", mq_send(q, (const char *)8, 4, 0));
	receive("receive into 63 bytes", q, 63);
	receive("receive into 64 bytes", q, 64);
	report("send 0 bytes", mq_send(q, "", 0, 3));
	receive("receive it", q, 64);
	mq_close(q);

	mqd_t writer = mq_open(name, O_WRONLY);
	mqd_t reader = mq_open(name, O_RDONLY);
	receive("receive on O_WRONLY", writer, 64);
	report("send on O_RDONLY", mq_send(reader, "x", 1, 0));
	report("read on O_WRONLY", read(writer, big, sizeof big));
	int pipefd[2];
	require(pipe(pipefd) == 0, "pipe");
	report("send on a pipe", mq_send(pipefd[1], "x", 1, 0));
	struct mq_attr a;
	report("getattr on a pipe", mq_getattr(pipefd[0], &a));
	report("send on fd -1", mq_send(-1, "x", 1, 0));
	close(pipefd[0]);
	close(pipefd[1]);
	mq_close(writer);
	mq_close(reader);
	mq_unlink(name);
}

static void nonblocking_and_timeouts(void)
{
	const char *name = qname(3);
	mqd_t q = open_queue(name, O_RDWR | O_NONBLOCK, 2, 16);
	print_attr("opened O_NONBLOCK", q);
	errno = 0;
	receive("receive from empty", q, 16);
	report("send 1", mq_send(q, "one", 3, 0));
	report("send 2", mq_send(q, "two", 3, 0));
	report("send 3 to full", mq_send(q, "three", 5, 0));
	struct mq_attr set = {.mq_flags = 0}, old;
	report("setattr blocking", mq_setattr(q, &set, &old));
	printf("old flags nonblock %d, curmsgs %ld\n", (old.mq_flags & O_NONBLOCK) != 0, old.mq_curmsgs);
	print_attr("now", q);
	set.mq_flags = 1;
	report("setattr flags 1", mq_setattr(q, &set, NULL));
	struct timespec soon = after_ms(50);
	report("timedsend to full", mq_timedsend(q, "x", 1, 0, &soon));
	struct timespec past = {.tv_sec = 1};
	report("timedsend, timeout in the past", mq_timedsend(q, "x", 1, 0, &past));
	struct timespec bad = {.tv_sec = 1, .tv_nsec = 1000000000};
	report("timedsend, bad tv_nsec", mq_timedsend(q, "x", 1, 0, &bad));
	receive("receive", q, 16);
	receive("receive", q, 16);
	report("timedsend, bad tv_nsec, room", mq_timedsend(q, "x", 1, 0, &bad));
	struct timespec negative = {.tv_sec = -1};
	report("timedsend, negative tv_sec, room", mq_timedsend(q, "x", 1, 0, &negative));
	soon = after_ms(50);
	char buf[16];
	report("timedreceive from empty", mq_timedreceive(q, buf, sizeof buf, NULL, &soon));
	report("timedreceive, bad address", mq_timedreceive(q, buf, sizeof buf, NULL, (struct timespec *)8));
	mq_close(q);
	mq_unlink(name);
}

/* A child asleep in mq_receive takes the parent's message; a child asleep
 * in mq_send puts its message in once the parent makes room. */
static void sleepers(void)
{
	const char *name = qname(4);
	mqd_t q = open_queue(name, O_RDWR, 1, 32);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		char buf[32];
		unsigned prio;
		ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
		_exit(n == 4 && prio == 3 && !memcmp(buf, "wake", 4) ? 0 : 1);
	}
	usleep(100 * 1000);
	print_attr("while the receiver waits", q);
	mq_send(q, "wake", 4, 3);
	printf("receiver exited %d (0: it got \"wake\", prio 3)\n", wait_code(pid));
	print_attr("then", q);

	mq_send(q, "first", 5, 1);
	pid = fork_flushed();
	if (pid == 0)
		_exit(mq_send(q, "second", 6, 7) == 0 ? 0 : 1);
	usleep(100 * 1000);
	print_attr("while the sender waits", q);
	receive("receive", q, 32);
	printf("sender exited %d (0: its message went in)\n", wait_code(pid));
	receive("receive", q, 32);
	mq_close(q);
	mq_unlink(name);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal ends the wait: EINTR, as the handler has no SA_RESTART. */
static void interrupted(void)
{
	const char *name = qname(5);
	mqd_t q = open_queue(name, O_RDWR, 1, 32);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	char buf[32];
	alarm(1);
	errno = 0;
	report("receive interrupted by a signal", mq_receive(q, buf, sizeof buf, NULL));
	mq_close(q);
	mq_unlink(name);
}

static volatile sig_atomic_t notified, notified_code, notified_value, notified_pid, notified_uid_ok;

static void on_notify(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	notified = sig;
	notified_code = si->si_code;
	notified_value = si->si_value.sival_int;
	notified_pid = si->si_pid;
	notified_uid_ok = si->si_uid == getuid();
}

static struct sigevent by_signal(int value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = value;
	return ev;
}

static void print_notified(const char *label, pid_t sender)
{
	if (!notified) {
		printf("%s: no signal\n", label);
		return;
	}
	printf("%s: signal %s, si_code %s, value %d, from %s, uid matches %d\n", label,
	       notified == SIGUSR1 ? "SIGUSR1" : "other", notified_code == SI_MESGQ ? "SI_MESGQ" : "other",
	       (int)notified_value, notified_pid == sender ? "the sender" : "someone else", (int)notified_uid_ok);
	notified = 0;
}

static void notification(void)
{
	const char *name = qname(6);
	mqd_t q = open_queue(name, O_RDWR, 4, 32);
	struct sigaction sa = {.sa_sigaction = on_notify, .sa_flags = SA_SIGINFO};
	sigaction(SIGUSR1, &sa, NULL);
	struct sigevent ev = by_signal(42);
	errno = 0;
	report("notify", mq_notify(q, &ev));
	report("notify again", mq_notify(q, &ev));
	pid_t pid = fork_flushed();
	if (pid == 0)
		_exit(mq_notify(q, &ev) == -1 && errno == EBUSY ? 0 : 1);
	printf("child's notify exited %d (0: EBUSY)\n", wait_code(pid));

	char line[128] = "";
	int notify = -1, signo = -1, owner = -1;
	if (pread(q, line, sizeof line - 1, 0) > 0)
		sscanf(line, "QSIZE:%*u NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &notify, &signo, &owner);
	printf("read: NOTIFY %d, SIGNO %d, NOTIFY_PID is mine %d\n", notify, signo, owner == getpid());

	mq_send(q, "one", 3, 0);
	print_notified("first message", getpid());
	mq_send(q, "two", 3, 0);
	print_notified("second message", getpid());
	receive("receive", q, 32);
	receive("receive", q, 32);
	mq_send(q, "three", 5, 0);
	print_notified("registration is gone", getpid());

	report("notify with a message queued", mq_notify(q, &ev));
	mq_send(q, "four", 4, 0);
	print_notified("into a queue that was not empty", getpid());
	receive("receive", q, 32);
	receive("receive", q, 32);
	pid = fork_flushed();
	if (pid == 0)
		_exit(mq_send(q, "five", 4, 0) == 0 ? 0 : 1);
	wait_code(pid);
	print_notified("a child's message", pid);
	receive("receive", q, 32);

	/* A receiver waiting takes the message: no notification. */
	report("notify", mq_notify(q, &ev));
	pid = fork_flushed();
	if (pid == 0) {
		char buf[32];
		_exit(mq_receive(q, buf, sizeof buf, NULL) == 3 ? 0 : 1);
	}
	usleep(100 * 1000);
	mq_send(q, "six", 3, 0);
	printf("receiver exited %d\n", wait_code(pid));
	print_notified("with a receiver waiting", getpid());
	report("unregister", mq_notify(q, NULL));
	report("unregister, none held", mq_notify(q, NULL));

	/* SIGEV_NONE holds the registration and ends with the message. */
	struct sigevent none = {.sigev_notify = SIGEV_NONE};
	report("notify SIGEV_NONE", mq_notify(q, &none));
	report("notify while SIGEV_NONE holds", mq_notify(q, &ev));
	mq_send(q, "seven", 5, 0);
	receive("receive", q, 32);
	report("notify after the message", mq_notify(q, &ev));

	/* Closing any descriptor of the queue drops the caller's registration. */
	mqd_t other = mq_open(name, O_RDONLY);
	mq_close(other);
	report("notify after a close", mq_notify(q, &ev));
	mq_notify(q, NULL);

	struct sigevent bad = {.sigev_notify = 99};
	report("notify kind 99", mq_notify(q, &bad));
	bad = by_signal(0);
	bad.sigev_signo = 65;
	report("notify signal 65", mq_notify(q, &bad));
	report("notify on a bad descriptor", mq_notify(-1, &ev));
	mq_close(q);
	mq_unlink(name);
}

static void print_poll(const char *label, mqd_t q)
{
	struct pollfd p = {.fd = q, .events = POLLIN | POLLOUT};
	int n = poll(&p, 1, 0);
	printf("%s: %d, in %d, out %d\n", label, n, !!(p.revents & POLLIN), !!(p.revents & POLLOUT));
}

static void readiness(void)
{
	const char *name = qname(7);
	mqd_t q = open_queue(name, O_RDWR, 2, 16);
	print_poll("poll empty", q);
	mq_send(q, "a", 1, 0);
	print_poll("poll one", q);
	mq_send(q, "b", 1, 0);
	print_poll("poll full", q);
	receive("receive", q, 16);
	receive("receive", q, 16);

	int ep = epoll_create1(0);
	struct epoll_event want = {.events = EPOLLIN, .data.u32 = 7}, got;
	report("epoll add", epoll_ctl(ep, EPOLL_CTL_ADD, q, &want));
	printf("epoll empty: %d\n", epoll_wait(ep, &got, 1, 0));
	pid_t pid = fork_flushed();
	if (pid == 0) {
		usleep(100 * 1000);
		_exit(mq_send(q, "late", 4, 0) == 0 ? 0 : 1);
	}
	int n = epoll_wait(ep, &got, 1, 5000);
	printf("epoll after a child's send: %d, data %u, in %d\n", n, got.data.u32, !!(got.events & EPOLLIN));
	wait_code(pid);
	fd_set readable;
	FD_ZERO(&readable);
	FD_SET(q, &readable);
	struct timeval zero = {0};
	n = select(q + 1, &readable, NULL, NULL, &zero);
	printf("select: %d, readable %d\n", n, FD_ISSET(q, &readable));
	receive("receive", q, 16);
	close(ep);
	mq_close(q);
	mq_unlink(name);
}

static void files_and_names(void)
{
	const char *name = qname(0);
	mode_t old_mask = umask(022);
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0666, NULL);
	umask(old_mask);
	require(q != (mqd_t)-1, "mq_open");
	struct stat st;
	require(fstat(q, &st) == 0, "fstat");
	printf("fstat: regular %d, mode %o, size %lld, links %lu, mine %d\n", S_ISREG(st.st_mode),
	       (unsigned)st.st_mode & 07777, (long long)st.st_size, (unsigned long)st.st_nlink, st.st_uid == getuid());
	mq_send(q, "kept", 4, 2);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		char buf[8192];
		_exit(mq_receive(q, buf, sizeof buf, NULL) == 4 ? 0 : 1);
	}
	printf("child received through the inherited descriptor: %d\n", wait_code(pid) == 0);
	mq_send(q, "after", 5, 2);
	report("unlink", mq_unlink(name));
	report("open after unlink", mq_open(name, O_RDWR));
	receive("the open descriptor still receives", q, 8192);
	mqd_t fresh = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	report("create the name anew", fresh);
	print_attr("the new queue", fresh);
	mq_close(fresh);
	mq_close(q);
	mq_unlink(name);
}

/* A user who is not root: the mode bits, the sticky folder, the queue
 * count and RLIMIT_MSGQUEUE. */
static void permissions(void)
{
	const char *private_name = qname(1), *shared_name = qname(2);
	mqd_t private_q = mq_open(private_name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
	mqd_t shared_q = mq_open(shared_name, O_RDWR | O_CREAT | O_EXCL, 0644, NULL);
	require(private_q != (mqd_t)-1 && shared_q != (mqd_t)-1, "mq_open");
	/* Each run its own user, so that runs side by side do not share a
	 * RLIMIT_MSGQUEUE account. */
	uid_t user = 40000 + (uid_t)(getpid() % 20000);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setgid(65534) == 0 && setuid(user) == 0, "setuid");
		errno = 0;
		report("user: open 0600", mq_open(private_name, O_RDONLY));
		report("user: open 0644 for reading", mq_open(shared_name, O_RDONLY));
		report("user: open 0644 for writing", mq_open(shared_name, O_WRONLY));
		report("user: unlink root's queue", mq_unlink(shared_name));
		struct mq_attr big = {.mq_maxmsg = 11, .mq_msgsize = 16};
		report("user: maxmsg past msg_max", mq_open(qname(3), O_RDWR | O_CREAT, 0600, &big));
		big = (struct mq_attr){.mq_maxmsg = 4, .mq_msgsize = 8193};
		report("user: msgsize past msgsize_max", mq_open(qname(3), O_RDWR | O_CREAT, 0600, &big));
		/* A default queue costs 82880 bytes of the user's RLIMIT_MSGQUEUE. */
		struct rlimit r = {.rlim_cur = 100000, .rlim_max = 100000};
		report("user: RLIMIT_MSGQUEUE 100000", setrlimit(RLIMIT_MSGQUEUE, &r));
		mqd_t own = mq_open(qname(3), O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
		report("user: a queue of its own", own);
		report("user: a second one", mq_open(qname(4), O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
		report("user: unlink its own", mq_unlink(qname(3)));
		mq_close(own);
		report("user: the second, once the first is gone",
		       mq_open(qname(4), O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
		mq_unlink(qname(4));
		fflush(stdout);
		_exit(0);
	}
	wait_code(pid);
	mq_close(private_q);
	mq_close(shared_q);
	report("root unlinks 0600", mq_unlink(private_name));
	report("root unlinks 0644", mq_unlink(shared_name));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	limits();
	open_rules();
	ordering();
	nonblocking_and_timeouts();
	sleepers();
	interrupted();
	notification();
	readiness();
	files_and_names();
	permissions();
	return 0;
}
