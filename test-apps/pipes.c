/* pipes: pipe and pipe2 as Linux has them: 64 KiB of room, atomic writes up
 * to PIPE_BUF, F_GETPIPE_SZ/F_SETPIPE_SZ, FIONREAD, EOF and EPIPE/SIGPIPE. */
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

int main(void)
{
	capacity();
	flags_and_ends();
	eof_and_epipe();
	atomic_order();
	return 0;
}
