/* splice: splice, tee and vmsplice as Linux has them: their errors, file to
 * pipe to file with and without offsets, pipe to pipe, tee leaving its input
 * in place, vmsplice both ways, nonblocking pipes, a splice that blocks until
 * a child writes, EINTR, and AF_UNIX sockets on either side. Sizes stay
 * within what Linux's page-slot pipes and sole's byte-counted ones agree on. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

static char buf[200000];

static int unread(int fd)
{
	int n = -1;
	require(ioctl(fd, FIONREAD, &n) == 0, "FIONREAD");
	return n;
}

static void make_pipe(int p[2], int flags) { require(pipe2(p, flags) == 0, "pipe2"); }

static void close_pipe(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* Prints what the next n bytes of fd are. */
static void show_read(const char *label, int fd, size_t n)
{
	long got = read(fd, buf, n);
	if (got < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %ld '%.*s'\n", label, got, (int)got, buf);
}

static int make_file(const char *name, const char *content)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	require(fd >= 0, "open a file");
	require(write(fd, content, strlen(content)) == (long)strlen(content), "write a file");
	require(lseek(fd, 0, SEEK_SET) == 0, "lseek");
	return fd;
}

static void errors(void)
{
	int p[2], q[2];
	make_pipe(p, 0);
	make_pipe(q, 0);
	require(write(p[1], "abcdefghij", 10) == 10, "write");
	close(make_file("splice-rd", "0123456789"));
	int rd = open("splice-rd", O_RDONLY);
	int wr = open("splice-wr", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int app = open("splice-app", O_RDWR | O_CREAT | O_APPEND, 0600);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int path = open("splice-rd", O_PATH);
	int efd = eventfd(0, 0);
	require(rd >= 0 && wr >= 0 && app >= 0 && dir >= 0 && path >= 0 && efd >= 0, "open the files");
	loff_t off = 0;

	report_value("len 0 with bad fds", splice(-1, NULL, -1, NULL, 0, 0));
	report_value("unknown flag", splice(p[0], NULL, q[1], NULL, 1, 0x100));
	report_value("bad in fd", splice(-1, NULL, p[1], NULL, 1, 0));
	report_value("bad out fd", splice(p[0], NULL, 99, NULL, 1, 0));
	report_value("file to file", splice(rd, NULL, wr, NULL, 1, 0));
	report_value("offset for the pipe in", splice(p[0], &off, wr, NULL, 1, 0));
	report_value("offset for the pipe out", splice(rd, NULL, p[1], &off, 1, 0));
	report_value("write-only file in", splice(wr, NULL, p[1], NULL, 1, 0));
	report_value("read end as out", splice(rd, NULL, p[0], NULL, 1, 0));
	report_value("write end as in", splice(p[1], NULL, q[1], NULL, 1, 0));
	report_value("O_APPEND out", splice(p[0], NULL, app, NULL, 1, 0));
	report_value("read-only file out", splice(p[0], NULL, rd, NULL, 1, 0));
	report_value("same pipe", splice(p[0], NULL, p[1], NULL, 1, 0));
	report_value("directory in", splice(dir, NULL, p[1], NULL, 1, 0));
	report_value("O_PATH in", splice(path, NULL, p[1], NULL, 1, 0));
	report_value("eventfd in", splice(efd, NULL, p[1], NULL, 1, 0));
	report_value("eventfd out", splice(p[0], NULL, efd, NULL, 1, 0));
	off = -1;
	report_value("negative offset", splice(rd, &off, p[1], NULL, 1, 0));
	report_value("bad offset pointer", splice(rd, (loff_t *)8, p[1], NULL, 1, 0));
	printf("pipe kept its data: %d\n", unread(p[0]));

	report_value("tee len 0", tee(-1, -1, 0, 0));
	report_value("tee unknown flag", tee(p[0], q[1], 1, 0x100));
	report_value("tee bad fd", tee(-1, q[1], 1, 0));
	report_value("tee file in", tee(rd, q[1], 1, 0));
	report_value("tee file out", tee(p[0], wr, 1, 0));
	report_value("tee same pipe", tee(p[0], p[1], 1, 0));
	report_value("tee write end in", tee(p[1], q[1], 1, 0));

	struct iovec iov = {buf, 10};
	report_value("vmsplice bad fd", vmsplice(-1, &iov, 1, 0));
	report_value("vmsplice file", vmsplice(wr, &iov, 1, 0));
	report_value("vmsplice O_PATH", vmsplice(path, &iov, 1, 0));
	report_value("vmsplice too many segments", vmsplice(p[1], &iov, IOV_MAX + 1, 0));
	report_value("vmsplice unknown flag", vmsplice(p[1], &iov, 1, 0x100));
	report_value("vmsplice bad iov array", vmsplice(p[1], (struct iovec *)8, 1, 0));
	struct iovec bad = {(void *)8, 10};
	report_value("vmsplice bad buffer", vmsplice(p[1], &bad, 1, 0));
	report_value("vmsplice bad buffer out", vmsplice(p[0], &bad, 1, 0));
	report_value("vmsplice no segments", vmsplice(p[1], &iov, 0, 0));
	printf("pipe still holds: %d\n", unread(p[0]));

	close(rd), close(wr), close(app), close(dir), close(path), close(efd);
	unlink("splice-rd"), unlink("splice-wr"), unlink("splice-app");
	close_pipe(p);
	close_pipe(q);
}

static long position(int fd) { return lseek(fd, 0, SEEK_CUR); }

static void files_and_offsets(void)
{
	int p[2];
	make_pipe(p, 0);
	int in = make_file("splice-in", "0123456789abcdefghijklmnopqrstuvwxyz");
	int out = make_file("splice-out", "");
	loff_t off = 4;
	report_value("file at offset 4 to pipe", splice(in, &off, p[1], NULL, 6, 0));
	printf("offset now %lld, file position %ld\n", (long long)off, position(in));
	report_value("file to pipe at its position", splice(in, NULL, p[1], NULL, 3, 0));
	printf("file position %ld\n", position(in));
	printf("in the pipe: %d\n", unread(p[0]));
	off = 100;
	report_value("pipe to file at offset 100", splice(p[0], NULL, out, &off, 5, SPLICE_F_MOVE));
	printf("offset now %lld, file position %ld\n", (long long)off, position(out));
	report_value("pipe to file at its position", splice(p[0], NULL, out, NULL, 100, SPLICE_F_MORE));
	printf("file position %ld\n", position(out));
	struct stat st;
	require(fstat(out, &st) == 0, "fstat");
	printf("out size %lld\n", (long long)st.st_size);
	report_value("pread at 0", pread(out, buf, 4, 0));
	printf("  '%.4s'\n", buf);
	report_value("pread at 100", pread(out, buf, 5, 100));
	printf("  '%.5s'\n", buf);
	off = 36;
	report_value("file at its end to pipe", splice(in, &off, p[1], NULL, 10, 0));
	off = 30;
	report_value("past the end, short", splice(in, &off, p[1], NULL, 100, 0));
	show_read("pipe", p[0], 100);

	/* A bigger file through a pipe in steps, checked by its checksum. */
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i * 7 + i / 251);
	unsigned long long want = fnv1a(FNV1A_INIT, buf, sizeof buf);
	int big = open("splice-big", O_RDWR | O_CREAT | O_TRUNC, 0600);
	require(big >= 0 && write(big, buf, sizeof buf) == sizeof buf, "write the big file");
	require(lseek(big, 0, SEEK_SET) == 0 && ftruncate(out, 0) == 0 && lseek(out, 0, SEEK_SET) == 0, "reset");
	long total = 0, moved;
	while ((moved = splice(big, NULL, p[1], NULL, 30000, 0)) > 0) {
		long drained = splice(p[0], NULL, out, NULL, moved, 0);
		require(drained == moved, "drain the pipe into the file");
		total += drained;
	}
	report_value("big file moved", moved < 0 ? moved : total);
	memset(buf, 0, sizeof buf);
	require(pread(out, buf, sizeof buf, 0) == sizeof buf, "read the copy back");
	printf("checksum matches: %d\n", fnv1a(FNV1A_INIT, buf, sizeof buf) == want);

	close(in), close(out), close(big);
	unlink("splice-in"), unlink("splice-out"), unlink("splice-big");
	close_pipe(p);
}

static void devices(void)
{
	int p[2];
	make_pipe(p, 0);
	int zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY);
	require(zero >= 0 && null >= 0, "open /dev/zero and /dev/null");
	memset(buf, 'x', 100);
	report_value("/dev/zero to pipe", splice(zero, NULL, p[1], NULL, 100, 0));
	require(read(p[0], buf, 100) == 100, "read the zeros");
	int zeros = 0;
	for (int i = 0; i < 100; i++)
		zeros += buf[i] == 0;
	printf("zeros: %d\n", zeros);
	require(write(p[1], "discard", 7) == 7, "write");
	report_value("pipe to /dev/null", splice(p[0], NULL, null, NULL, 100, 0));
	printf("left: %d\n", unread(p[0]));
	int full = open("/dev/full", O_RDWR), zero_out = open("/dev/zero", O_WRONLY);
	require(full >= 0 && zero_out >= 0, "open /dev/full and /dev/zero");
	report_value("/dev/full to pipe", splice(full, NULL, p[1], NULL, 9081, 0));
	report_value("pipe to /dev/zero", splice(p[0], NULL, zero_out, NULL, 9081, 0));
	close(zero), close(null), close(full), close(zero_out);
	close_pipe(p);
}

static void pipe_to_pipe(void)
{
	int a[2], b[2];
	make_pipe(a, 0);
	make_pipe(b, 0);
	require(write(a[1], "pipe to pipe", 12) == 12, "write");
	report_value("move all", splice(a[0], NULL, b[1], NULL, 5000, 0));
	printf("left in a: %d, in b: %d\n", unread(a[0]), unread(b[0]));
	show_read("b", b[0], 100);
	require(write(a[1], "0123456789", 10) == 10, "write");
	report_value("move 4", splice(a[0], NULL, b[1], NULL, 4, 0));
	show_read("b", b[0], 100);
	show_read("a", a[0], 100);

	/* Into a one-page pipe: a page moves, the rest waits. */
	require(fcntl(b[1], F_SETPIPE_SZ, 4096) == 4096, "F_SETPIPE_SZ");
	require(write(a[1], buf, 10000) == 10000, "write 10000");
	report_value("into one page", splice(a[0], NULL, b[1], NULL, 10000, 0));
	printf("left in a: %d, in b: %d\n", unread(a[0]), unread(b[0]));
	report_value("into a full pipe, nonblocking", splice(a[0], NULL, b[1], NULL, 10000, SPLICE_F_NONBLOCK));
	require(read(b[0], buf, sizeof buf) == 4096, "drain b");
	require(read(a[0], buf, sizeof buf) == 10000 - 4096, "drain a");
	report_value("from an empty pipe, nonblocking", splice(a[0], NULL, b[1], NULL, 10, SPLICE_F_NONBLOCK));
	close(a[1]);
	report_value("from an empty pipe without writers", splice(a[0], NULL, b[1], NULL, 10, 0));
	close(a[0]);
	close_pipe(b);
}

static void tees(void)
{
	int a[2], b[2], c[2];
	make_pipe(a, 0);
	make_pipe(b, 0);
	make_pipe(c, O_NONBLOCK);
	require(write(a[1], "hello world", 11) == 11, "write");
	report_value("tee 5", tee(a[0], b[1], 5, 0));
	printf("a: %d, b: %d\n", unread(a[0]), unread(b[0]));
	report_value("tee all", tee(a[0], c[1], 100, 0));
	printf("a: %d, c: %d\n", unread(a[0]), unread(c[0]));
	show_read("b", b[0], 100);
	show_read("c", c[0], 100);
	show_read("a", a[0], 100);
	report_value("tee from empty, SPLICE_F_NONBLOCK", tee(a[0], b[1], 10, SPLICE_F_NONBLOCK));
	report_value("tee into an O_NONBLOCK pipe from empty", tee(a[0], c[1], 10, 0));
	require(fcntl(b[1], F_SETPIPE_SZ, 4096) == 4096, "F_SETPIPE_SZ");
	require(write(b[1], buf, 4096) == 4096, "fill b");
	require(write(a[1], "more", 4) == 4, "write");
	report_value("tee into a full pipe, nonblocking", tee(a[0], b[1], 10, SPLICE_F_NONBLOCK));
	require(read(a[0], buf, 4) == 4 && read(b[0], buf, 4096) == 4096, "drain a and b");
	close(a[1]);
	report_value("tee from empty without writers", tee(a[0], b[1], 10, 0));
	close(a[0]);
	close_pipe(b);
	close_pipe(c);
}

static void vmsplices(void)
{
	int p[2];
	make_pipe(p, 0);
	struct iovec two[2] = {{"abc", 3}, {"defg", 4}};
	report_value("vmsplice two segments in", vmsplice(p[1], two, 2, SPLICE_F_GIFT));
	show_read("pipe", p[0], 100);
	require(write(p[1], "0123456789", 10) == 10, "write");
	char x[4] = {0}, y[10] = {0};
	struct iovec out[2] = {{x, sizeof x}, {y, sizeof y}};
	report_value("vmsplice out", vmsplice(p[0], out, 2, 0));
	printf("x '%.4s' y '%.6s'\n", x, y);
	report_value("vmsplice out of empty, nonblocking", vmsplice(p[0], out, 2, SPLICE_F_NONBLOCK));

	/* A page-aligned buffer fills a pipe exactly, on Linux too. */
	char *page = aligned_alloc(4096, 100000);
	require(page != NULL, "aligned_alloc");
	memset(page, 'v', 100000);
	struct iovec whole = {page, 100000};
	report_value("vmsplice more than fits", vmsplice(p[1], &whole, 1, 0));
	report_value("vmsplice into a full pipe, nonblocking", vmsplice(p[1], &whole, 1, SPLICE_F_NONBLOCK));
	report_value("read it back", read(p[0], buf, sizeof buf));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	report_value("vmsplice without a reader", vmsplice(p[1], &whole, 1, 0));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	make_pipe(p, O_NONBLOCK);
	/* vmsplice looks at SPLICE_F_NONBLOCK only, but an empty pipe without
	 * writers is at its end either way. */
	close(p[1]);
	report_value("vmsplice out at EOF", vmsplice(p[0], out, 2, 0));
	close(p[0]);
	free(page);
}

static void nonblocking(void)
{
	int p[2];
	make_pipe(p, O_NONBLOCK);
	int f = make_file("splice-nb", "some data");
	report_value("empty O_NONBLOCK pipe to file", splice(p[0], NULL, f, NULL, 10, 0));
	require(fcntl(p[0], F_SETFL, 0) == 0 && fcntl(p[1], F_SETFL, 0) == 0, "clear O_NONBLOCK");
	report_value("empty pipe to file, SPLICE_F_NONBLOCK", splice(p[0], NULL, f, NULL, 10, SPLICE_F_NONBLOCK));
	require(write(p[1], buf, 65536) == 65536, "fill the pipe");
	report_value("file to a full pipe, SPLICE_F_NONBLOCK", splice(f, NULL, p[1], NULL, 10, SPLICE_F_NONBLOCK));
	require(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0, "set O_NONBLOCK");
	report_value("file to a full O_NONBLOCK pipe", splice(f, NULL, p[1], NULL, 10, 0));
	printf("file position %ld\n", position(f));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	report_value("file to a pipe without a reader", splice(f, NULL, p[1], NULL, 10, 0));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	close(f);
	unlink("splice-nb");
}

static void on_alarm(int sig) { (void)sig; }

/* A splice that blocks: a child writes (or drains) after a pause, and a
 * signal without SA_RESTART ends another with EINTR. */
static void blocking(void)
{
	int p[2];
	make_pipe(p, 0);
	int f = make_file("splice-block", "");
	pid_t child = fork_flushed();
	if (child == 0) {
		usleep(100000);
		_exit(write(p[1], "woken", 5) == 5 ? 0 : 1);
	}
	report_value("pipe to file, woken by a writer", splice(p[0], NULL, f, NULL, 100, 0));
	printf("child: %d\n", wait_code(child));
	require(write(p[1], buf, 65536) == 65536, "fill the pipe");
	child = fork_flushed();
	if (child == 0) {
		usleep(100000);
		_exit(read(p[0], buf, 65536) == 65536 ? 0 : 1);
	}
	require(pwrite(f, "0123456789", 10, 0) == 10, "pwrite");
	loff_t off = 0;
	report_value("file to a full pipe, woken by a reader", splice(f, &off, p[1], NULL, 10, 0));
	printf("child: %d\n", wait_code(child));
	show_read("pipe", p[0], 100);

	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval soon = {.it_value = {0, 100000}};
	setitimer(ITIMER_REAL, &soon, NULL);
	report_value("interrupted by a signal", splice(p[0], NULL, f, NULL, 100, 0));
	signal(SIGALRM, SIG_DFL);

	close(p[1]);
	report_value("at EOF", splice(p[0], NULL, f, NULL, 100, 0));
	close(p[0]);
	close(f);
	unlink("splice-block");
}

static void sockets(void)
{
	int p[2], sv[2];
	make_pipe(p, 0);
	require(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	require(write(p[1], "over the socket", 15) == 15, "write");
	report_value("pipe to socket", splice(p[0], NULL, sv[0], NULL, 100, 0));
	show_read("socket", sv[1], 100);
	require(write(sv[1], "and back", 8) == 8, "write");
	report_value("socket to pipe", splice(sv[0], NULL, p[1], NULL, 100, 0));
	show_read("pipe", p[0], 100);

	/* A reader blocked on the socket's other end. */
	pid_t child = fork_flushed();
	if (child == 0) {
		usleep(100000);
		_exit(write(sv[1], "late", 4) == 4 ? 0 : 1);
	}
	report_value("socket to pipe, woken by a writer", splice(sv[0], NULL, p[1], NULL, 100, 0));
	printf("child: %d\n", wait_code(child));
	show_read("pipe", p[0], 100);
	shutdown(sv[1], SHUT_WR);
	report_value("socket at EOF to pipe", splice(sv[0], NULL, p[1], NULL, 100, 0));
	loff_t off = 0;
	report_value("offset for a socket", splice(sv[0], &off, p[1], NULL, 100, 0));
	int lone = socket(AF_UNIX, SOCK_STREAM, 0);
	report_value("unconnected socket to pipe", splice(lone, NULL, p[1], NULL, 100, 0));
	close(lone);
	close(sv[0]), close(sv[1]);
	close_pipe(p);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	errors();
	files_and_offsets();
	devices();
	pipe_to_pipe();
	tees();
	vmsplices();
	nonblocking();
	blocking();
	sockets();
	return 0;
}
