/* pipes: pipe and pipe2 as Linux has them: 64 KiB of room, atomic writes up
 * to PIPE_BUF, F_GETPIPE_SZ/F_SETPIPE_SZ, FIONREAD, EOF and EPIPE/SIGPIPE,
 * and packet mode (O_DIRECT). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static char big[200000];
static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int unread(int fd)
{
	int n = -1;
	require(ioctl(fd, FIONREAD, &n) == 0, "FIONREAD");
	return n;
}

static void capacity(void)
{
	int p[2];
	require(pipe2(p, O_NONBLOCK) == 0, "pipe2 O_NONBLOCK");
	report_value("F_GETPIPE_SZ", fcntl(p[1], F_GETPIPE_SZ));
	report_value("fill with one big write", write(p[1], big, sizeof big));
	report_value("one more byte", write(p[1], "x", 1));
	printf("FIONREAD full: %d\n", unread(p[0]));
	report_value("read 100", read(p[0], big, 100));
	report_value("PIPE_BUF write into 100 bytes of room", write(p[1], big, PIPE_BUF));
	report_value("read 4096 more", read(p[0], big, 4096));
	report_value("PIPE_BUF write into a page of room", write(p[1], big, PIPE_BUF));
	report_value("big write into 100 bytes of room", write(p[1], big, 1000));
	report_value("drain", read(p[0], big, sizeof big));
	printf("FIONREAD empty: %d\n", unread(p[0]));
	report_value("read empty nonblocking", read(p[0], big, 10));
	report_value("shrink below the data", (write(p[1], big, 10000), fcntl(p[1], F_SETPIPE_SZ, 4096)));
	report_value("grow to 10000", fcntl(p[1], F_SETPIPE_SZ, 10000));
	report_value("F_GETPIPE_SZ after", fcntl(p[0], F_GETPIPE_SZ));
	report_value("data kept", read(p[0], big, sizeof big));
	report_value("shrink to 0", fcntl(p[1], F_SETPIPE_SZ, 0));
	report_value("fill one page", write(p[1], big, sizeof big));
	int null = open("/dev/null", O_WRONLY);
	report_value("F_GETPIPE_SZ on /dev/null", fcntl(null, F_GETPIPE_SZ));
	close(null);
	close(p[0]);
	close(p[1]);
}

static void flags_and_ends(void)
{
	int p[2];
	require(pipe2(p, O_CLOEXEC) == 0, "pipe2 O_CLOEXEC");
	printf("cloexec: %d %d\n", fcntl(p[0], F_GETFD), fcntl(p[1], F_GETFD));
	printf("accmode: %d %d\n", fcntl(p[0], F_GETFL) & O_ACCMODE, fcntl(p[1], F_GETFL) & O_ACCMODE);
	struct stat st;
	require(fstat(p[0], &st) == 0, "fstat");
	printf("fifo: %d\n", S_ISFIFO(st.st_mode));
	report_value("lseek", lseek(p[0], 0, SEEK_SET));
	report_value("write on the read end", write(p[0], "x", 1));
	report_value("read on the write end", read(p[1], big, 1));
	report_value("pipe2 bad flags", pipe2(p, O_APPEND));
	close(p[0]);
	close(p[1]);
}

static void eof_and_epipe(void)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	report_value("write hello", write(p[1], "hello", 5));
	close(p[1]);
	char buf[16] = {0};
	report_value("read after writer closed", read(p[0], buf, sizeof buf));
	printf("got: %s\n", buf);
	report_value("read at EOF", read(p[0], buf, sizeof buf));
	close(p[0]);

	require(pipe(p) == 0, "pipe");
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	report_value("write without reader, SIGPIPE ignored", write(p[1], "x", 1));
	signal(SIGPIPE, on_sigpipe);
	report_value("write without reader, handler", write(p[1], "x", 1));
	printf("SIGPIPE handled: %d\n", (int)sigpipes);
	close(p[1]);
}

static void atomic_order(void)
{
	/* Writes of up to PIPE_BUF arrive whole and in order. */
	int p[2];
	require(pipe(p) == 0, "pipe");
	unsigned long long sent = FNV1A_INIT, got = FNV1A_INIT;
	for (int i = 0; i < 12; i++) {
		memset(big, 'a' + i, PIPE_BUF);
		require(write(p[1], big, PIPE_BUF) == PIPE_BUF, "atomic write");
		sent = fnv1a(sent, big, PIPE_BUF);
	}
	close(p[1]);
	long n, total = 0;
	while ((n = read(p[0], big, 3000)) > 0) {
		got = fnv1a(got, big, (size_t)n);
		total += n;
	}
	printf("atomic writes: %ld bytes, same: %s\n", total, sent == got ? "yes" : "no");
	close(p[0]);
}

static void read_show(int fd, size_t room, const char *label)
{
	char buf[8192];
	ssize_t n = read(fd, buf, room);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %zd bytes \"%.*s\"\n", label, n, (int)(n < 12 ? n : 12), buf);
}

/* Packet mode (pipe2 O_DIRECT): a read takes one packet and drops what of
 * it does not fit, a long write is cut into PIPE_BUF-sized packets, each
 * packet takes a slot (16 in 64 KiB), zero-length writes make none, and
 * F_SETFL turns the mode off and on at the writing end. */
static void packet_mode(void)
{
	int p[2];
	printf("pipe2 O_DIRECT: %s\n", pipe2(p, O_DIRECT | O_NONBLOCK) == 0 ? "OK" : errno_name(errno));
	printf("O_DIRECT in F_GETFL: read end %d write end %d\n", !!(fcntl(p[0], F_GETFL) & O_DIRECT),
	       !!(fcntl(p[1], F_GETFL) & O_DIRECT));
	write(p[1], "a", 1);
	write(p[1], "bb", 2);
	printf("empty write: %zd\n", write(p[1], "", 0));
	write(p[1], "ccc", 3);
	read_show(p[0], 100, "packet 1");
	read_show(p[0], 100, "packet 2");
	read_show(p[0], 100, "packet 3");
	read_show(p[0], 100, "then");
	write(p[1], "hello", 5);
	write(p[1], "world", 5);
	read_show(p[0], 2, "2 bytes of hello");
	read_show(p[0], 100, "the next packet");
	static char big[6000];
	memset(big, 'x', sizeof big);
	printf("write 6000: %zd\n", write(p[1], big, sizeof big));
	read_show(p[0], 8192, "first piece");
	read_show(p[0], 8192, "second piece");
	int packets = 0;
	while (write(p[1], "z", 1) == 1)
		packets++;
	printf("one-byte packets that fit: %d (%s)\n", packets, errno_name(errno));
	while (read(p[0], big, sizeof big) > 0)
		;
	printf("F_SETFL without O_DIRECT: %s\n", fcntl(p[1], F_SETFL, O_NONBLOCK) == 0 ? "OK" : errno_name(errno));
	write(p[1], "x", 1);
	write(p[1], "y", 1);
	fcntl(p[1], F_SETFL, O_NONBLOCK | O_DIRECT);
	write(p[1], "pq", 2);
	read_show(p[0], 100, "stream, then a packet");
	read_show(p[0], 100, "the packet");
	close(p[0]);
	close(p[1]);
	printf("pipe2 with O_APPEND: %s\n", pipe2(p, O_APPEND) == 0 ? "OK" : errno_name(errno));
}

int main(void)
{
	capacity();
	flags_and_ends();
	eof_and_epipe();
	atomic_order();
	packet_mode();
	return 0;
}
