/* sockets: the socket syscalls, run natively and inside sole. With no
 * argument, AF_UNIX: socketpair streams, datagrams and sequenced packets,
 * named and abstract sockets, shutdown, EPIPE and SIGPIPE, MSG_PEEK,
 * MSG_DONTWAIT, MSG_TRUNC, SCM_RIGHTS, SO_* options, epoll, recvmmsg and
 * sendmmsg, readv/writev, sendfile, SO_PEERCRED across fork and bad
 * arguments. "sockets inet": AF_INET over 127.0.0.1 (TCP and UDP echo, a
 * non-blocking connect, a refused connect, addresses, a new connection
 * taking over one in TIME_WAIT, a datagram's TTL, TOS, hop limit and
 * traffic class as ancillary data), peers of 0.0.0.0
 * and :: (the local host), option levels, and the interface ioctls for lo
 * (the host has other interfaces, so only lo is shown). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* errno names for the socket errors common.h leaves out. */
static const char *err_name(int e)
{
	switch (e) {
	case ENOTSOCK: return "ENOTSOCK";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case EADDRINUSE: return "EADDRINUSE";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case EPROTOTYPE: return "EPROTOTYPE";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EISCONN: return "EISCONN";
	case ENOTCONN: return "ENOTCONN";
	case EINPROGRESS: return "EINPROGRESS";
	case EMSGSIZE: return "EMSGSIZE";
	case EDOM: return "EDOM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV: return "ENODEV";
	case ENOTTY: return "ENOTTY";
	default: return errno_name(e);
	}
}

static void show(const char *label, long ret)
{
	if (ret < 0)
		printf("%s: %s\n", label, err_name(errno));
	else
		printf("%s: %ld\n", label, ret);
}

static int get_int(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof v;
	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -errno - 1000;
	return v;
}

static void show_poll(const char *label, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI};
	int n = poll(&p, 1, 0);
	printf("%s: %d revents %#x\n", label, n, (unsigned)p.revents);
}

static void show_epoll(const char *label, int ep)
{
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, 0);
	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%llu:%#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
	printf("\n");
}

static void pair(int type, int sv[2])
{
	require(socketpair(AF_UNIX, type, 0, sv) == 0, "socketpair");
}

/* Writes nonblocking until the socket is full: true when it filled. */
static int fill(int fd)
{
	static char junk[4096];
	for (int i = 0; i < 10000; i++)
		if (send(fd, junk, sizeof junk, MSG_DONTWAIT) < 0)
			return errno == EAGAIN;
	return 0;
}

static void stream_pair(void)
{
	int sv[2];
	char buf[64];
	pair(SOCK_STREAM, sv);
	show("stream write", write(sv[0], "hello world", 11));
	int avail = -1;
	show("stream FIONREAD", ioctl(sv[1], FIONREAD, &avail));
	printf("stream FIONREAD value: %d\n", avail);
	show("stream peek", recv(sv[1], buf, 5, MSG_PEEK));
	printf("stream peeked: %.5s\n", buf);
	ssize_t n = read(sv[1], buf, sizeof buf);
	printf("stream read: %zd %.*s\n", n, (int)n, buf);
	show("stream dontwait empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	show("stream read zero", read(sv[1], buf, 0));
	/* writev: one stream of bytes; readv spreads it. */
	struct iovec out[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
	show("stream writev", writev(sv[0], out, 3));
	char x[2], y[10];
	struct iovec in[2] = {{x, 2}, {y, sizeof y}};
	n = readv(sv[1], in, 2);
	printf("stream readv: %zd %.2s %.*s\n", n, x, (int)n - 2, y);
	/* MSG_WAITALL gathers two writes. */
	write(sv[0], "12", 2);
	write(sv[0], "34", 2);
	show("stream waitall", recv(sv[1], buf, 4, MSG_WAITALL));
	struct stat st;
	require(fstat(sv[0], &st) == 0, "fstat");
	printf("stream fstat: socket %d\n", S_ISSOCK(st.st_mode));
	struct sockaddr_un sun;
	socklen_t len = sizeof sun;
	show("stream getsockname", getsockname(sv[0], (struct sockaddr *)&sun, &len));
	printf("stream getsockname len %u family %d\n", (unsigned)len, sun.sun_family);
	len = sizeof sun;
	show("stream getpeername", getpeername(sv[0], (struct sockaddr *)&sun, &len));
	printf("stream getpeername len %u\n", (unsigned)len);
	int outq = -1;
	write(sv[0], "xyz", 3);
	show("stream SIOCOUTQ", ioctl(sv[0], TIOCOUTQ, &outq));
	printf("stream SIOCOUTQ counts the unread write: %d\n", outq >= 3); /* Linux counts buffer overhead too */
	read(sv[1], buf, sizeof buf);
	close(sv[0]);
	close(sv[1]);
}

static void options(void)
{
	int sv[2];
	pair(SOCK_STREAM, sv);
	printf("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d SO_ACCEPTCONN %d SO_ERROR %d\n", get_int(sv[0], SOL_SOCKET, SO_TYPE),
	       get_int(sv[0], SOL_SOCKET, SO_DOMAIN), get_int(sv[0], SOL_SOCKET, SO_PROTOCOL),
	       get_int(sv[0], SOL_SOCKET, SO_ACCEPTCONN), get_int(sv[0], SOL_SOCKET, SO_ERROR));
	printf("default SO_SNDBUF %d SO_RCVBUF %d SO_RCVLOWAT %d SO_SNDLOWAT %d\n", get_int(sv[0], SOL_SOCKET, SO_SNDBUF),
	       get_int(sv[0], SOL_SOCKET, SO_RCVBUF), get_int(sv[0], SOL_SOCKET, SO_RCVLOWAT),
	       get_int(sv[0], SOL_SOCKET, SO_SNDLOWAT));
	int v = 4096;
	show("set SO_RCVBUF", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
	v = 1;
	show("set SO_SNDBUF", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	printf("SO_RCVBUF %d SO_SNDBUF %d\n", get_int(sv[0], SOL_SOCKET, SO_RCVBUF), get_int(sv[0], SOL_SOCKET, SO_SNDBUF));
	v = 100000;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
	printf("SO_SNDBUF doubled %d\n", get_int(sv[0], SOL_SOCKET, SO_SNDBUF));
	show("set SO_REUSEPORT on unix", setsockopt(sv[0], SOL_SOCKET, SO_REUSEPORT, &v, sizeof v));
	v = 1;
	show("set SO_KEEPALIVE", setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
	show("set SO_REUSEADDR", setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
	show("set SO_PASSCRED", setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
	v = 5;
	show("set SO_PRIORITY", setsockopt(sv[0], SOL_SOCKET, SO_PRIORITY, &v, sizeof v));
	printf("SO_KEEPALIVE %d SO_REUSEADDR %d SO_PASSCRED %d SO_PRIORITY %d\n", get_int(sv[0], SOL_SOCKET, SO_KEEPALIVE),
	       get_int(sv[0], SOL_SOCKET, SO_REUSEADDR), get_int(sv[0], SOL_SOCKET, SO_PASSCRED),
	       get_int(sv[0], SOL_SOCKET, SO_PRIORITY));
	show("set unknown option", setsockopt(sv[0], SOL_SOCKET, 12345, &v, sizeof v));
	socklen_t len = sizeof v;
	show("get unknown option", getsockopt(sv[0], SOL_SOCKET, 12345, &v, &len));
	show("set short optlen", setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, 2));
	show("set SO_TYPE", setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, sizeof v));
	show("set SO_SNDLOWAT", setsockopt(sv[0], SOL_SOCKET, SO_SNDLOWAT, &v, sizeof v));
	show("set level TCP on unix", setsockopt(sv[0], IPPROTO_TCP, 1, &v, sizeof v));
	len = sizeof v;
	show("get level TCP on unix", getsockopt(sv[0], IPPROTO_TCP, 1, &v, &len));
	short small = 0;
	len = sizeof small;
	show("get SO_TYPE into 2 bytes", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &small, &len));
	printf("small %d len %u\n", small, (unsigned)len);
	len = (socklen_t)-1;
	show("get negative optlen", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
	struct linger lg = {1, 7};
	show("set SO_LINGER", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
	lg = (struct linger){0, 0};
	setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	len = sizeof lg;
	getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len);
	printf("SO_LINGER %d %d len %u\n", lg.l_onoff, lg.l_linger, (unsigned)len);
	struct timeval tv = {1, 500000};
	show("set SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	tv = (struct timeval){0, 0};
	len = sizeof tv;
	getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len);
	printf("SO_RCVTIMEO %ld %ld len %u\n", (long)tv.tv_sec, (long)tv.tv_usec, (unsigned)len);
	tv = (struct timeval){0, 2000000};
	show("set SO_SNDTIMEO bad usec", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
	struct ucred cred;
	len = sizeof cred;
	show("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
	printf("SO_PEERCRED pid ok %d uid %u gid %u len %u\n", cred.pid == getpid(), cred.uid, cred.gid, (unsigned)len);
	int lone = socket(AF_UNIX, SOCK_STREAM, 0);
	len = sizeof cred;
	getsockopt(lone, SOL_SOCKET, SO_PEERCRED, &cred, &len);
	printf("unconnected SO_PEERCRED pid %d uid %u gid %u\n", cred.pid, cred.uid, cred.gid);
	close(lone);
	close(sv[0]);
	close(sv[1]);
}

/* A read that times out (SO_RCVTIMEO), and one a thread's write wakes. */
static void *late_writer(void *arg)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	nanosleep(&ts, NULL);
	write(*(int *)arg, "late", 4);
	return NULL;
}

static void blocking(void)
{
	int sv[2];
	char buf[16];
	pair(SOCK_STREAM, sv);
	struct timeval tv = {0, 100000};
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	show("recv with SO_RCVTIMEO", recv(sv[1], buf, sizeof buf, 0));
	pthread_t t;
	pthread_create(&t, NULL, late_writer, &sv[0]);
	show("blocking read woken", read(sv[1], buf, sizeof buf));
	pthread_join(t, NULL);
	close(sv[0]);
	close(sv[1]);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal ends a blocked receive with EINTR, even under SA_RESTART once
 * SO_RCVTIMEO is set; without a timeout SA_RESTART resumes it. */
static void interrupted(void)
{
	int sv[2];
	char buf[16];
	pair(SOCK_STREAM, sv);
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval soon = {.it_value = {0, 30000}};
	setitimer(ITIMER_REAL, &soon, NULL);
	show("recv interrupted", recv(sv[1], buf, sizeof buf, 0));
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct timeval tv = {5, 0};
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setitimer(ITIMER_REAL, &soon, NULL);
	show("recv with SO_RCVTIMEO interrupted under SA_RESTART", recv(sv[1], buf, sizeof buf, 0));
	tv = (struct timeval){0, 0};
	setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	pthread_t t;
	pthread_create(&t, NULL, late_writer, &sv[0]);
	setitimer(ITIMER_REAL, &soon, NULL);
	show("recv restarted under SA_RESTART", recv(sv[1], buf, sizeof buf, 0));
	pthread_join(t, NULL);
	close(sv[0]);
	close(sv[1]);
}

static void shutdown_and_close(void)
{
	int sv[2];
	char buf[16];
	pair(SOCK_STREAM, sv);
	show("shutdown bad how", shutdown(sv[0], 7));
	show("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	show_poll("after SHUT_WR: writer", sv[0]);
	show_poll("after SHUT_WR: reader", sv[1]);
	show("read after peer SHUT_WR", read(sv[1], buf, sizeof buf));
	show("write after SHUT_WR", write(sv[0], "x", 1));
	printf("sigpipes %d\n", (int)sigpipes);
	show("send MSG_NOSIGNAL after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	printf("sigpipes %d\n", (int)sigpipes);
	show("reverse direction still works", write(sv[1], "back", 4));
	show("read reverse", read(sv[0], buf, sizeof buf));
	close(sv[1]);
	show_poll("peer closed", sv[0]);
	show("read after peer close", read(sv[0], buf, sizeof buf));
	show("write after peer close", write(sv[0], "x", 1));
	printf("sigpipes %d\n", (int)sigpipes);
	close(sv[0]);

	/* Closing with unread data resets the connection. */
	pair(SOCK_STREAM, sv);
	write(sv[0], "unread", 6);
	close(sv[1]);
	show_poll("reset", sv[0]);
	show("read after reset", read(sv[0], buf, sizeof buf));
	show("read again", read(sv[0], buf, sizeof buf));
	close(sv[0]);

	pair(SOCK_STREAM, sv);
	show("shutdown SHUT_RD", shutdown(sv[1], SHUT_RD));
	show_poll("after SHUT_RD", sv[1]);
	show("write to peer that shut reading", send(sv[0], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	close(sv[1]);
}

static void datagrams(void)
{
	int sv[2];
	char buf[64];
	pair(SOCK_DGRAM, sv);
	send(sv[0], "first", 5, 0);
	send(sv[0], "second!", 7, 0);
	send(sv[0], "", 0, 0);
	int avail = -1;
	ioctl(sv[1], FIONREAD, &avail);
	printf("dgram FIONREAD %d\n", avail);
	show("dgram peek", recv(sv[1], buf, sizeof buf, MSG_PEEK));
	struct iovec iov = {buf, 3};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	show("dgram recvmsg short", recvmsg(sv[1], &mh, 0));
	printf("dgram msg_flags MSG_TRUNC %d: %.3s\n", !!(mh.msg_flags & MSG_TRUNC), buf);
	show("dgram recv MSG_TRUNC", recv(sv[1], buf, 2, MSG_TRUNC));
	show("dgram empty datagram", recv(sv[1], buf, sizeof buf, 0));
	show("dgram nothing left", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	struct iovec parts[3] = {{"one", 3}, {"two", 3}, {"three", 5}};
	show("dgram writev", writev(sv[0], parts, 3));
	show("dgram one datagram", recv(sv[1], buf, sizeof buf, 0));
	struct iovec nothing = {buf, 0};
	show("dgram empty writev", writev(sv[0], &nothing, 1));
	show("dgram empty writev sent nothing", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	show("dgram empty write", write(sv[0], buf, 0));
	show("dgram empty write sent a datagram", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
	static char big[300000];
	show("dgram too big", send(sv[0], big, sizeof big, 0));
	show("dgram fill", fill(sv[0]));
	show_poll("dgram full sender", sv[0]);
	close(sv[0]);
	close(sv[1]);

	pair(SOCK_SEQPACKET, sv);
	send(sv[0], "record-one", 10, 0);
	send(sv[0], "record-two", 10, 0);
	show("seqpacket short read", recv(sv[1], buf, 6, 0));
	show("seqpacket next record", recv(sv[1], buf, sizeof buf, 0));
	printf("seqpacket got %.10s\n", buf);
	printf("seqpacket SO_TYPE %d\n", get_int(sv[0], SOL_SOCKET, SO_TYPE));
	close(sv[0]);
	show("seqpacket after peer close", recv(sv[1], buf, sizeof buf, 0));
	show("seqpacket send to closed", send(sv[1], "x", 1, MSG_NOSIGNAL));
	int before = sigpipes;
	show("seqpacket write to closed", write(sv[1], "x", 1));
	printf("seqpacket SIGPIPE %d\n", sigpipes - before);
	close(sv[1]);
}

static void sun_path_of(struct sockaddr_un *sun, socklen_t *len, const char *path)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path, path);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

struct connector {
	struct sockaddr_un addr;
	socklen_t len;
	int fd;
};

static void *connect_later(void *arg)
{
	struct connector *c = arg;
	struct timespec ts = {0, 30 * 1000 * 1000};
	nanosleep(&ts, NULL);
	c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c->fd, (struct sockaddr *)&c->addr, c->len);
	write(c->fd, "from thread", 11);
	return NULL;
}

/* accept blocks until another thread connects. */
static void blocking_accept(const struct sockaddr_un *sun, socklen_t len)
{
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	require(bind(lfd, (const struct sockaddr *)sun, len) == 0 && listen(lfd, 4) == 0, "listen");
	struct connector c = {*sun, len, -1};
	pthread_t t;
	pthread_create(&t, NULL, connect_later, &c);
	int a = accept(lfd, NULL, NULL);
	show("blocking accept", a < 0 ? -1 : 0);
	pthread_join(t, NULL);
	char buf[16];
	show("read from thread's connection", read(a, buf, sizeof buf));
	close(a);
	close(c.fd);
	close(lfd);
}

static void named_stream(void)
{
	char path[64], buf[32];
	snprintf(path, sizeof path, "/tmp/sole-sockets-%d.sock", (int)getpid());
	unlink(path);
	struct sockaddr_un sun, got;
	socklen_t len, got_len;
	sun_path_of(&sun, &len, path);
	int unbound = socket(AF_UNIX, SOCK_STREAM, 0);
	show("listen unbound", listen(unbound, 1));
	show("accept not listening", accept(unbound, NULL, NULL));
	close(unbound);
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show("bind path", bind(lfd, (struct sockaddr *)&sun, len));
	show("bind again", bind(lfd, (struct sockaddr *)&sun, len));
	struct stat st;
	show("stat bound path", stat(path, &st));
	printf("bound path is socket %d\n", S_ISSOCK(st.st_mode));
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	show("bind taken path", bind(other, (struct sockaddr *)&sun, len));
	show("connect before listen", connect(other, (struct sockaddr *)&sun, len));
	close(other);
	show("listen", listen(lfd, 0));
	printf("SO_ACCEPTCONN %d\n", get_int(lfd, SOL_SOCKET, SO_ACCEPTCONN));
	got_len = sizeof got;
	getsockname(lfd, (struct sockaddr *)&got, &got_len);
	printf("getsockname len ok %d path ok %d\n", got_len == len, strcmp(got.sun_path, path) == 0);
	got_len = 4;
	getsockname(lfd, (struct sockaddr *)&got, &got_len);
	printf("getsockname truncated: true len ok %d\n", got_len == len);
	show("accept empty", accept(lfd, NULL, NULL));
	show_poll("listener idle", lfd);

	int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show("connect", connect(c1, (struct sockaddr *)&sun, len));
	show("write before accept", write(c1, "early", 5));
	int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	show("connect over backlog", connect(c2, (struct sockaddr *)&sun, len));
	show("connect again", connect(c1, (struct sockaddr *)&sun, len));
	show_poll("listener pending", lfd);
	got_len = sizeof got;
	int a = accept4(lfd, (struct sockaddr *)&got, &got_len, SOCK_CLOEXEC);
	show("accept4", a < 0 ? -1 : 0);
	printf("accepted peer len %u cloexec %d nonblock %d\n", (unsigned)got_len, fcntl(a, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(a, F_GETFL) & O_NONBLOCK));
	show("read early data", read(a, buf, sizeof buf));
	got_len = sizeof got;
	getsockname(a, (struct sockaddr *)&got, &got_len);
	printf("accepted name is listener's %d\n", got_len == len && strcmp(got.sun_path, path) == 0);
	got_len = sizeof got;
	getpeername(c1, (struct sockaddr *)&got, &got_len);
	printf("client peer is listener's path %d\n", got_len == len && strcmp(got.sun_path, path) == 0);
	show("connect after accept made room", connect(c2, (struct sockaddr *)&sun, len));
	close(c2);
	int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("dgram connect to stream listener", connect(dg, (struct sockaddr *)&sun, len));
	show("dgram listen", listen(dg, 1));
	show("dgram accept", accept(dg, NULL, NULL));
	close(dg);
	show("echo", write(c1, "ping", 4));
	show("echo read", read(a, buf, sizeof buf));
	close(a);
	close(c1);
	close(lfd);
	int c3 = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect after listener closed", connect(c3, (struct sockaddr *)&sun, len));
	unlink(path);
	blocking_accept(&sun, len);
	unlink(path);
	show("connect after unlink", connect(c3, (struct sockaddr *)&sun, len));
	int file = open("/tmp", O_RDONLY);
	sun_path_of(&sun, &len, "/tmp");
	show("connect to a directory", connect(c3, (struct sockaddr *)&sun, len));
	close(file);
	close(c3);
}

static void abstract_names(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX}, got;
	const char name[] = "sole-sockets-abstract";
	memcpy(sun.sun_path + 1, name, sizeof name - 1);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + sizeof name - 1);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	show("bind abstract", bind(s, (struct sockaddr *)&sun, len));
	show("listen abstract", listen(s, 4));
	socklen_t got_len = sizeof got;
	getsockname(s, (struct sockaddr *)&got, &got_len);
	printf("abstract getsockname len ok %d\n", got_len == len && !memcmp(&got, &sun, len));
	int t = socket(AF_UNIX, SOCK_STREAM, 0);
	show("bind abstract in use", bind(t, (struct sockaddr *)&sun, len));
	show("connect abstract", connect(t, (struct sockaddr *)&sun, len));
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("same abstract name, other type", bind(d, (struct sockaddr *)&sun, len));
	close(d);
	close(t);
	close(s);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	show("connect abstract after close", connect(c, (struct sockaddr *)&sun, len));
	close(c);
	int auto_fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("autobind", bind(auto_fd, (struct sockaddr *)&sun, sizeof(sa_family_t)));
	got_len = sizeof got;
	getsockname(auto_fd, (struct sockaddr *)&got, &got_len);
	printf("autobind len %u abstract %d\n", (unsigned)got_len, got.sun_path[0] == 0);
	close(auto_fd);
}

static void named_datagrams(void)
{
	char path[64], buf[32];
	snprintf(path, sizeof path, "/tmp/sole-sockets-%d.dgram", (int)getpid());
	unlink(path);
	struct sockaddr_un sun, from;
	socklen_t len, from_len;
	sun_path_of(&sun, &len, path);
	int server = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("bind dgram", bind(server, (struct sockaddr *)&sun, len));
	int client = socket(AF_UNIX, SOCK_DGRAM, 0);
	show("send unconnected", send(client, "x", 1, 0));
	show("sendto path", sendto(client, "hi", 2, 0, (struct sockaddr *)&sun, len));
	from_len = sizeof from;
	show("recvfrom", recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len));
	printf("unbound sender address len %u\n", (unsigned)from_len);
	struct sockaddr_un me = {.sun_family = AF_UNIX};
	bind(client, (struct sockaddr *)&me, sizeof(sa_family_t));
	sendto(client, "hi", 2, 0, (struct sockaddr *)&sun, len);
	from_len = sizeof from;
	recvfrom(server, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len);
	printf("autobound sender address len %u\n", (unsigned)from_len);
	show("connect dgram", connect(client, (struct sockaddr *)&sun, len));
	show("send connected", send(client, "c", 1, 0));
	show("recv connected", recv(server, buf, sizeof buf, 0));
	/* An unconnected receiver takes max_dgram_qlen, then the sender waits. */
	int queued = 0;
	while (send(client, "q", 1, MSG_DONTWAIT) == 1 && queued < 100)
		queued++;
	printf("queued before EAGAIN: %d (%s)\n", queued, err_name(errno));
	show_poll("sender to full receiver", client);
	recv(server, buf, sizeof buf, 0);
	show_poll("sender after one read", client);
	close(server);
	show("send to closed peer", send(client, "x", 1, 0));
	show("send after that", send(client, "x", 1, 0));
	show("sendto removed receiver", sendto(client, "x", 1, 0, (struct sockaddr *)&sun, len));
	unlink(path);
	close(client);
}

static void rights(void)
{
	int sv[2], p[2];
	pair(SOCK_STREAM, sv);
	require(pipe(p) == 0, "pipe");
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = {"F", 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	show("sendmsg SCM_RIGHTS", sendmsg(sv[0], &mh, 0));
	close(p[1]);
	char data[4], rbuf[CMSG_SPACE(sizeof(int))];
	struct iovec riov = {data, sizeof data};
	struct msghdr rh = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf, .msg_controllen = sizeof rbuf};
	show("recvmsg SCM_RIGHTS", recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC));
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rh);
	int passed = -1;
	if (rc && rc->cmsg_type == SCM_RIGHTS)
		memcpy(&passed, CMSG_DATA(rc), sizeof passed);
	printf("received descriptor %d cloexec %d controllen ok %d flags %#x\n", passed >= 0,
	       passed >= 0 && (fcntl(passed, F_GETFD) & FD_CLOEXEC), rh.msg_controllen == CMSG_SPACE(sizeof(int)),
	       (unsigned)rh.msg_flags);
	show("write through passed pipe", write(passed, "via", 3));
	close(passed);
	show("read from pipe", read(p[0], data, sizeof data));
	close(p[0]);

	/* No room for the descriptor: MSG_CTRUNC, and it is closed. */
	require(pipe(p) == 0, "pipe");
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(p[1]);
	rh.msg_control = NULL;
	rh.msg_controllen = 0;
	show("recvmsg without room", recvmsg(sv[1], &rh, 0));
	printf("MSG_CTRUNC %d\n", !!(rh.msg_flags & MSG_CTRUNC));
	show("pipe writer gone: EOF", read(p[0], data, sizeof data));
	close(p[0]);

	int bad = 999;
	memcpy(CMSG_DATA(cm), &bad, sizeof(int));
	show("sendmsg bad descriptor", sendmsg(sv[0], &mh, 0));
	cm->cmsg_len = 1000;
	show("sendmsg malformed control", sendmsg(sv[0], &mh, 0));
	close(sv[0]);
	close(sv[1]);
}

static struct ucred peer_cred(int fd)
{
	struct ucred cred = {-1, 0, 0};
	socklen_t len = sizeof cred;
	getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len);
	return cred;
}

/* SO_PEERCRED names the other process: the accepted end its connector, the
 * connector the listener, a listener itself. */
static void peer_credentials(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/sole-peercred-%d.sock", (int)getpid());
	struct sockaddr_un sun;
	socklen_t len;
	sun_path_of(&sun, &len, path);
	unlink(sun.sun_path);
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(lfd, (struct sockaddr *)&sun, len);
	listen(lfd, 1);
	printf("peercred listener is itself %d\n", peer_cred(lfd).pid == getpid());
	int report[2];
	pipe(report);
	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(c, (struct sockaddr *)&sun, len);
		char seen = peer_cred(c).pid == getppid() ? '1' : '0';
		write(report[1], &seen, 1);
		read(c, &seen, 1); /* until the parent closes */
		_exit(0);
	}
	int a = accept(lfd, NULL, NULL);
	struct ucred cred = peer_cred(a);
	printf("peercred accepted end is the child %d uid %d gid %d\n", cred.pid == child, cred.uid == geteuid(),
	       cred.gid == getegid());
	char seen = '?';
	read(report[0], &seen, 1);
	printf("peercred connector sees the parent %c\n", seen);
	close(a);
	waitpid(child, NULL, 0);
	close(report[0]);
	close(report[1]);
	close(lfd);
	unlink(sun.sun_path);
}

static void epoll_sockets(void)
{
	int sv[2];
	char buf[8];
	pair(SOCK_STREAM, sv);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.u64 = 1};
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	ev = (struct epoll_event){.events = EPOLLIN | EPOLLET, .data.u64 = 2};
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	show_epoll("epoll idle", ep);
	write(sv[0], "a", 1);
	show_epoll("epoll one write", ep);
	show_epoll("epoll again (edge quiet)", ep);
	write(sv[0], "b", 1);
	show_epoll("epoll second write", ep);
	read(sv[1], buf, sizeof buf);
	int full = fill(sv[0]);
	printf("filled %d\n", full);
	show_epoll("epoll writer full", ep);
	while (recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) > 0)
		;
	show_epoll("epoll drained", ep);
	close(sv[1]);
	show_epoll("epoll peer closed", ep);
	close(sv[0]);
	close(ep);
}

static void batches(void)
{
	int sv[2];
	pair(SOCK_DGRAM, sv);
	struct mmsghdr out[3];
	struct iovec oiov[3] = {{"m1", 2}, {"msg2", 4}, {"message3", 8}};
	memset(out, 0, sizeof out);
	for (int i = 0; i < 3; i++) {
		out[i].msg_hdr.msg_iov = &oiov[i];
		out[i].msg_hdr.msg_iovlen = 1;
	}
	show("sendmmsg", sendmmsg(sv[0], out, 3, 0));
	printf("sendmmsg lens %u %u %u\n", out[0].msg_len, out[1].msg_len, out[2].msg_len);
	char bufs[5][16];
	struct iovec iiov[5];
	struct mmsghdr in[5];
	memset(in, 0, sizeof in);
	for (int i = 0; i < 5; i++) {
		iiov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
		in[i].msg_hdr.msg_iov = &iiov[i];
		in[i].msg_hdr.msg_iovlen = 1;
	}
	show("recvmmsg dontwait", recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL));
	printf("recvmmsg lens %u %u %u: %.8s\n", in[0].msg_len, in[1].msg_len, in[2].msg_len, bufs[2]);
	show("recvmmsg empty", recvmmsg(sv[1], in, 5, MSG_DONTWAIT, NULL));
	sendmmsg(sv[0], out, 2, 0);
	struct timespec timeout = {1, 0};
	show("recvmmsg waitforone", recvmmsg(sv[1], in, 5, MSG_WAITFORONE, &timeout));
	printf("timeout left below a second %d\n", timeout.tv_sec == 0 || (timeout.tv_sec == 1 && timeout.tv_nsec == 0));
	timeout = (struct timespec){0, 2000000000};
	show("recvmmsg bad timeout", recvmmsg(sv[1], in, 5, MSG_DONTWAIT, &timeout));
	close(sv[0]);
	close(sv[1]);
}

static void misc_errors(void)
{
	int sv[2], p[2];
	char buf[16];
	pair(SOCK_STREAM, sv);
	require(pipe(p) == 0, "pipe");
	show("recv on a pipe", recv(p[0], buf, sizeof buf, MSG_DONTWAIT));
	int v;
	socklen_t vlen = sizeof v;
	show("getsockopt on a pipe", getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &vlen));
	show("send on a bad fd", send(-1, "x", 1, 0));
	write(sv[0], "data", 4);
	show("recv into NULL", recv(sv[1], NULL, 10, 0));
	show("recv after fault", recv(sv[1], buf, sizeof buf, 0));
	show("getsockname bad len pointer", getsockname(sv[0], (struct sockaddr *)buf, (socklen_t *)8));
	struct sockaddr_storage ss = {0};
	show("bind huge addrlen", bind(sv[0], (struct sockaddr *)&ss, sizeof ss + 1));
	show("bind short addrlen", bind(sv[0], (struct sockaddr *)&ss, 1));
	int *volatile bad_pointer = (int *)8;
	show("socketpair bad pointer", socketpair(AF_UNIX, SOCK_STREAM, 0, bad_pointer));
	show("socket domain 47", socket(47, SOCK_STREAM, 0));
	show("socket unix bad type", socket(AF_UNIX, 9, 0));
	show("socket unix bad protocol", socket(AF_UNIX, SOCK_STREAM, 5));
	show("socket unknown flag", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
	show("pread on a socket", pread(sv[0], buf, 1, 0));
	show("lseek on a socket", lseek(sv[0], 0, SEEK_SET));
	show("sendto on connected stream", sendto(sv[0], "x", 1, 0, (struct sockaddr *)&ss, sizeof(sa_family_t) + 2));
	int lone = socket(AF_UNIX, SOCK_STREAM, 0);
	show("read unconnected stream", read(lone, buf, sizeof buf));
	show("write unconnected stream", send(lone, "x", 1, MSG_NOSIGNAL));
	show("getpeername unconnected", getpeername(lone, (struct sockaddr *)&ss, &(socklen_t){sizeof ss}));
	close(lone);

	/* sendfile into a socket. */
	int f = open("sockets-sendfile.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	write(f, "from a file", 11);
	show("sendfile to socket", sendfile(sv[0], f, &(off_t){0}, 11));
	show("read sendfile data", read(sv[1], buf, sizeof buf));
	close(f);
	unlink("sockets-sendfile.txt");
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

/* AF_INET over 127.0.0.1. */
static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static void *echo_server(void *arg)
{
	int lfd = *(int *)arg;
	int c = accept(lfd, NULL, NULL);
	char buf[256];
	ssize_t n;
	while ((n = read(c, buf, sizeof buf)) > 0)
		write(c, buf, (size_t)n);
	close(c);
	return NULL;
}

static void inet_tcp(void)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sin = loopback(0), got;
	show("tcp bind", bind(lfd, (struct sockaddr *)&sin, sizeof sin));
	socklen_t len = sizeof got;
	getsockname(lfd, (struct sockaddr *)&got, &len);
	printf("tcp port assigned %d len %u\n", got.sin_port != 0, (unsigned)len);
	show("tcp listen", listen(lfd, 8));
	printf("tcp SO_TYPE %d SO_PROTOCOL %d SO_ACCEPTCONN %d\n", get_int(lfd, SOL_SOCKET, SO_TYPE),
	       get_int(lfd, SOL_SOCKET, SO_PROTOCOL), get_int(lfd, SOL_SOCKET, SO_ACCEPTCONN));
	pthread_t t;
	pthread_create(&t, NULL, echo_server, &lfd);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	show("tcp connect", connect(c, (struct sockaddr *)&got, sizeof got));
	struct sockaddr_in peer, mine;
	len = sizeof peer;
	getpeername(c, (struct sockaddr *)&peer, &len);
	printf("tcp peer is server %d\n", peer.sin_port == got.sin_port && peer.sin_addr.s_addr == got.sin_addr.s_addr);
	len = sizeof mine;
	getsockname(c, (struct sockaddr *)&mine, &len);
	printf("tcp local is loopback %d port set %d\n", mine.sin_addr.s_addr == htonl(INADDR_LOOPBACK), mine.sin_port != 0);
	char buf[64];
	show("tcp send", send(c, "ping over tcp", 13, 0));
	show("tcp echo", recv(c, buf, 13, MSG_WAITALL));
	printf("tcp echoed %.13s\n", buf);
	show("tcp shutdown write", shutdown(c, SHUT_WR));
	show("tcp EOF after server closes", read(c, buf, sizeof buf));
	pthread_join(t, NULL);
	close(c);

	/* Non-blocking connect: in progress, then writable with no error. */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(c, (struct sockaddr *)&got, sizeof got);
	printf("nonblocking connect: %s\n", r == 0 ? "OK" : err_name(errno));
	struct pollfd pfd = {.fd = c, .events = POLLOUT};
	printf("poll writable %d\n", poll(&pfd, 1, 5000));
	printf("SO_ERROR %d\n", get_int(c, SOL_SOCKET, SO_ERROR));
	int a = accept(lfd, NULL, NULL);
	show("accept nonblocking client", a < 0 ? -1 : 0);
	close(a);
	close(c);
	close(lfd);

	/* A port nobody listens on. */
	int probe = socket(AF_INET, SOCK_STREAM, 0);
	sin = loopback(0);
	bind(probe, (struct sockaddr *)&sin, sizeof sin);
	len = sizeof sin;
	getsockname(probe, (struct sockaddr *)&sin, &len);
	close(probe);
	c = socket(AF_INET, SOCK_STREAM, 0);
	show("connect to closed port", connect(c, (struct sockaddr *)&sin, sizeof sin));
	close(c);
	int sv[2];
	show("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
}

/* A server that closes first leaves its side in TIME_WAIT. A new SYN from
 * the same client port, with a later sequence number, takes it over at
 * once, as on Linux, instead of waiting out the two minutes. */
static void timewait_takeover(void)
{
	int one = 1;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in server = loopback(0), client = loopback(0);
	socklen_t len = sizeof server;
	bind(lfd, (struct sockaddr *)&server, sizeof server);
	getsockname(lfd, (struct sockaddr *)&server, &len);
	listen(lfd, 8);
	for (int round = 1; round <= 3; round++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		show("timewait client bind", bind(c, (struct sockaddr *)&client, sizeof client));
		len = sizeof client;
		getsockname(c, (struct sockaddr *)&client, &len);
		connect(c, (struct sockaddr *)&server, sizeof server);
		struct pollfd pfd = {.fd = c, .events = POLLOUT};
		int ready = poll(&pfd, 1, 1500);
		printf("timewait round %d: connected from the same port within 1.5 s %d\n", round,
		       ready == 1 && get_int(c, SOL_SOCKET, SO_ERROR) == 0);
		struct pollfd listening = {.fd = lfd, .events = POLLIN};
		if (poll(&listening, 1, 1500) != 1) {
			printf("timewait round %d: no connection to accept\n", round);
			close(c);
			break;
		}
		close(accept(lfd, NULL, NULL)); /* the server closes first */
		pfd.events = POLLIN;
		poll(&pfd, 1, 1500);
		char byte;
		show("timewait client sees EOF", read(c, &byte, 1));
		close(c);
		usleep(100000); /* the server's ACK of the client's FIN */
	}
	close(lfd);
}

static void inet_udp(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = loopback(0), a_addr, b_addr, from;
	bind(a, (struct sockaddr *)&sin, sizeof sin);
	bind(b, (struct sockaddr *)&sin, sizeof sin);
	socklen_t len = sizeof a_addr;
	getsockname(a, (struct sockaddr *)&a_addr, &len);
	len = sizeof b_addr;
	getsockname(b, (struct sockaddr *)&b_addr, &len);
	show("udp sendto", sendto(a, "datagram", 8, 0, (struct sockaddr *)&b_addr, sizeof b_addr));
	char buf[32];
	len = sizeof from;
	show("udp recvfrom", recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len));
	printf("udp source is sender %d len %u\n", from.sin_port == a_addr.sin_port, (unsigned)len);
	show("udp echo back", sendto(b, buf, 8, 0, (struct sockaddr *)&from, len));
	show("udp echo received", recv(a, buf, sizeof buf, 0));
	show("udp nothing more", recv(a, buf, sizeof buf, MSG_DONTWAIT));
	printf("udp SO_TYPE %d SO_PROTOCOL %d\n", get_int(a, SOL_SOCKET, SO_TYPE), get_int(a, SOL_SOCKET, SO_PROTOCOL));
	close(a);
	close(b);
}

/* A TCP connect and a UDP sendto and connect to the wildcard address of a
 * socket's family reach the listener on this host, from its loopback. */
/* Sends one datagram from a to b's address with an int control message
 * (or a byte one, when byte is set) of level and type, and returns what
 * sendmsg answered. */
static long send_with_cmsg(int a, const struct sockaddr *to, socklen_t to_len, int level, int type, int value,
                           size_t data_len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {0};
	struct iovec iov = {.iov_base = "ancillary", .iov_len = 9};
	struct msghdr msg = {.msg_name = (void *)to, .msg_namelen = to_len, .msg_iov = &iov, .msg_iovlen = 1,
	                     .msg_control = control.buf, .msg_controllen = CMSG_SPACE(data_len)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(data_len);
	if (data_len == 1)
		*CMSG_DATA(c) = (unsigned char)value;
	else
		memcpy(CMSG_DATA(c), &value, sizeof value);
	return sendmsg(a, &msg, 0);
}

/* Receives a datagram on b with room for room bytes of ancillary data and
 * prints each control message: level, type, length and value. */
static void show_ancillary(const char *label, int b, size_t room)
{
	char data[32];
	union {
		char buf[256];
		struct cmsghdr align;
	} control;
	struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? control.buf : NULL,
	                     .msg_controllen = room};
	long n = recvmsg(b, &msg, 0);
	printf("%s: %ld bytes, ctrunc %d, controllen %zu\n", label, n, !!(msg.msg_flags & MSG_CTRUNC),
	       (size_t)msg.msg_controllen);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		size_t len = c->cmsg_len - CMSG_LEN(0);
		int value = len >= sizeof(int) ? *(int *)CMSG_DATA(c) : len ? *CMSG_DATA(c) : -1;
		printf("  cmsg level %d type %d data %zu value %d\n", c->cmsg_level, c->cmsg_type, len, value);
	}
}

/* The header fields of a datagram as ancillary data, both ways: IP_TTL and
 * IP_TOS over IPv4, RFC 3542's IPV6_HOPLIMIT and IPV6_TCLASS over IPv6,
 * with cut-short buffers and bad control messages. */
static void udp_ancillary(void)
{
	int one = 1;
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = loopback(0), to;
	bind(b, (struct sockaddr *)&sin, sizeof sin);
	socklen_t len = sizeof to;
	getsockname(b, (struct sockaddr *)&to, &len);
	setsockopt(b, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
	setsockopt(b, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
	printf("IP_RECVTTL %d IP_RECVTOS %d\n", get_int(b, IPPROTO_IP, IP_RECVTTL), get_int(b, IPPROTO_IP, IP_RECVTOS));
	show("send IP_TTL 7", send_with_cmsg(a, (struct sockaddr *)&to, sizeof to, IPPROTO_IP, IP_TTL, 7, sizeof(int)));
	show_ancillary("ttl 7", b, 256);
	show("send IP_TOS 0x10", send_with_cmsg(a, (struct sockaddr *)&to, sizeof to, IPPROTO_IP, IP_TOS, 0x10, 1));
	show_ancillary("tos 0x10", b, 256);
	show("send IP_TTL 0", send_with_cmsg(a, (struct sockaddr *)&to, sizeof to, IPPROTO_IP, IP_TTL, 0, sizeof(int)));
	show("send IP_TOS 256", send_with_cmsg(a, (struct sockaddr *)&to, sizeof to, IPPROTO_IP, IP_TOS, 256, sizeof(int)));
	close(a);
	close(b);

	a = socket(AF_INET6, SOCK_DGRAM, 0);
	b = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 six = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT}, to6;
	bind(b, (struct sockaddr *)&six, sizeof six);
	len = sizeof to6;
	getsockname(b, (struct sockaddr *)&to6, &len);
	setsockopt(b, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
	setsockopt(b, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
	printf("IPV6_RECVHOPLIMIT %d IPV6_RECVTCLASS %d\n", get_int(b, IPPROTO_IPV6, IPV6_RECVHOPLIMIT),
	       get_int(b, IPPROTO_IPV6, IPV6_RECVTCLASS));
	show("send IPV6_HOPLIMIT 2",
	     send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_HOPLIMIT, 2, sizeof(int)));
	show_ancillary("hop limit 2", b, 256);
	show("send IPV6_TCLASS 42",
	     send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_TCLASS, 42, sizeof(int)));
	show_ancillary("traffic class 42", b, 256);
	show("send IPV6_HOPLIMIT -1",
	     send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_HOPLIMIT, -1, sizeof(int)));
	show_ancillary("room for one, cut inside the second", b, CMSG_SPACE(sizeof(int)) + CMSG_LEN(0) + 2);
	send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_TCLASS, 3, sizeof(int));
	show_ancillary("room for a header only", b, CMSG_LEN(0));
	send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_TCLASS, 3, sizeof(int));
	show_ancillary("no room", b, 0);
	show("send IPV6_HOPLIMIT 256",
	     send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_HOPLIMIT, 256, sizeof(int)));
	show("send IPV6_TCLASS as a byte",
	     send_with_cmsg(a, (struct sockaddr *)&to6, sizeof to6, IPPROTO_IPV6, IPV6_TCLASS, 1, 1));
	close(a);
	close(b);
}

static void any_peer(int family, const char *name)
{
	struct sockaddr_storage addr = {.ss_family = (sa_family_t)family}, peer;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int lfd = socket(family, SOCK_STREAM, 0);
	bind(lfd, (struct sockaddr *)&addr, len);
	listen(lfd, 1);
	getsockname(lfd, (struct sockaddr *)&addr, &len);
	int c = socket(family, SOCK_STREAM, 0);
	printf("%s tcp connect to any", name);
	show("", connect(c, (struct sockaddr *)&addr, len));
	int a = accept(lfd, NULL, NULL);
	socklen_t peer_len = sizeof peer;
	getpeername(c, (struct sockaddr *)&peer, &peer_len);
	char text[INET6_ADDRSTRLEN] = "";
	const void *ip = family == AF_INET ? (void *)&((struct sockaddr_in *)&peer)->sin_addr
	                                   : (void *)&((struct sockaddr_in6 *)&peer)->sin6_addr;
	inet_ntop(family, ip, text, sizeof text);
	printf("%s tcp peer %s\n", name, text);
	char buf[16] = "";
	send(c, "hello", 5, 0);
	recv(a, buf, sizeof buf, 0);
	printf("%s tcp got %s\n", name, buf);
	close(a);
	close(c);
	close(lfd);

	int r = socket(family, SOCK_DGRAM, 0), u = socket(family, SOCK_DGRAM, 0);
	memset(&addr, 0, sizeof addr);
	addr.ss_family = (sa_family_t)family;
	bind(r, (struct sockaddr *)&addr, len);
	getsockname(r, (struct sockaddr *)&addr, &len);
	printf("%s udp sendto any", name);
	show("", sendto(u, "datagram", 8, 0, (struct sockaddr *)&addr, len));
	peer_len = sizeof peer;
	show("udp recvfrom", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&peer, &peer_len));
	inet_ntop(family, ip, text, sizeof text);
	printf("%s udp source %s\n", name, text);
	printf("%s udp connect to any", name);
	show("", connect(u, (struct sockaddr *)&addr, len));
	peer_len = sizeof peer;
	getpeername(u, (struct sockaddr *)&peer, &peer_len);
	inet_ntop(family, ip, text, sizeof text);
	printf("%s udp peer %s\n", name, text);
	show("udp send connected", send(u, "x", 1, 0));
	show("udp recv", recv(r, buf, sizeof buf, 0));
	close(u);
	close(r);
}

/* A level the socket's protocol lacks: IPv4's getsockopt says EOPNOTSUPP,
 * its setsockopt and IPv6 say ENOPROTOOPT. */
static void option_levels(void)
{
	int v4 = socket(AF_INET, SOCK_STREAM, 0), v6 = socket(AF_INET6, SOCK_STREAM, 0);
	int v4u = socket(AF_INET, SOCK_DGRAM, 0), val = 1;
	socklen_t len = sizeof val;
	show("tcp getsockopt level 500", getsockopt(v4, 500, SO_OOBINLINE, &val, &len));
	show("tcp getsockopt IPPROTO_UDP", getsockopt(v4, IPPROTO_UDP, 1, &val, &len));
	show("udp getsockopt IPPROTO_TCP", getsockopt(v4u, IPPROTO_TCP, 1, &val, &len));
	show("tcp setsockopt level 500", setsockopt(v4, 500, SO_OOBINLINE, &val, len));
	show("tcp6 getsockopt level 500", getsockopt(v6, 500, SO_OOBINLINE, &val, &len));
	show("tcp getsockopt IP bad name", getsockopt(v4, IPPROTO_IP, -1, &val, &len));
	show("tcp SIOCATMARK", ioctl(v4, SIOCATMARK, &val));
	printf("tcp at mark %d\n", val);
	close(v4);
	close(v6);
	close(v4u);
}

static const char *ipv4_text(const struct sockaddr *sa, char text[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, INET_ADDRSTRLEN);
}

/* The interface ioctls, for lo only: SIOCGIFCONF lists it, and the
 * per-name ones describe it. */
static void interfaces(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq reqs[32];
	struct ifconf conf = {.ifc_len = 0, .ifc_buf = NULL};
	show("SIOCGIFCONF size", ioctl(fd, SIOCGIFCONF, &conf));
	printf("SIOCGIFCONF size whole entries %d\n", conf.ifc_len > 0 && conf.ifc_len % (int)sizeof(struct ifreq) == 0);
	conf.ifc_len = sizeof reqs;
	conf.ifc_req = reqs;
	show("SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &conf));
	char text[INET_ADDRSTRLEN];
	for (int i = 0; i < conf.ifc_len / (int)sizeof(struct ifreq); i++)
		if (!strcmp(reqs[i].ifr_name, "lo"))
			printf("SIOCGIFCONF lo family %d address %s\n", reqs[i].ifr_addr.sa_family,
			       ipv4_text(&reqs[i].ifr_addr, text));
	conf.ifc_len = sizeof(struct ifreq) + 1;
	show("SIOCGIFCONF room for one", ioctl(fd, SIOCGIFCONF, &conf));
	printf("SIOCGIFCONF room for one gives %d\n", conf.ifc_len / (int)sizeof(struct ifreq));

	struct ifreq req = {.ifr_name = "lo"};
	show("SIOCGIFFLAGS lo", ioctl(fd, SIOCGIFFLAGS, &req));
	printf("lo flags %#x\n", (unsigned)(unsigned short)req.ifr_flags);
	show("SIOCGIFINDEX lo", ioctl(fd, SIOCGIFINDEX, &req));
	printf("lo index %d if_nametoindex %u\n", req.ifr_ifindex, if_nametoindex("lo"));
	memset(req.ifr_name, 0, sizeof req.ifr_name);
	show("SIOCGIFNAME 1", ioctl(fd, SIOCGIFNAME, &req));
	printf("index 1 is %s\n", req.ifr_name);
	show("SIOCGIFMTU lo", ioctl(fd, SIOCGIFMTU, &req));
	printf("lo mtu %d\n", req.ifr_mtu);
	show("SIOCGIFADDR lo", ioctl(fd, SIOCGIFADDR, &req));
	printf("lo address %s\n", ipv4_text(&req.ifr_addr, text));
	show("SIOCGIFNETMASK lo", ioctl(fd, SIOCGIFNETMASK, &req));
	printf("lo netmask %s\n", ipv4_text(&req.ifr_netmask, text));
	show("SIOCGIFHWADDR lo", ioctl(fd, SIOCGIFHWADDR, &req));
	printf("lo hardware type %d\n", req.ifr_hwaddr.sa_family);
	strcpy(req.ifr_name, "nosuch0");
	show("SIOCGIFFLAGS nosuch0", ioctl(fd, SIOCGIFFLAGS, &req));
	req.ifr_ifindex = 0;
	show("SIOCGIFNAME 0", ioctl(fd, SIOCGIFNAME, &req));
	show("SIOCGIFFLAGS bad pointer", ioctl(fd, SIOCGIFFLAGS, NULL));
	close(fd);

	int un = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(req.ifr_name, "lo");
	show("unix SIOCGIFINDEX lo", ioctl(un, SIOCGIFINDEX, &req));
	show("unix SIOCGIFADDR lo", ioctl(un, SIOCGIFADDR, &req));
	close(un);
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, on_sigpipe);
	if (argc > 1 && !strcmp(argv[1], "inet")) {
		inet_tcp();
		timewait_takeover();
		inet_udp();
		udp_ancillary();
		any_peer(AF_INET, "ipv4");
		any_peer(AF_INET6, "ipv6");
		option_levels();
		interfaces();
		return 0;
	}
	stream_pair();
	options();
	blocking();
	interrupted();
	shutdown_and_close();
	datagrams();
	named_stream();
	abstract_names();
	named_datagrams();
	rights();
	peer_credentials();
	epoll_sockets();
	batches();
	misc_errors();
	return 0;
}
