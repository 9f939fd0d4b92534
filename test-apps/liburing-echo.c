/* io_uring through Debian's liburing (linked dynamically): a TCP echo
 * server in a child process and its client, each with its own ring, and a
 * file copy in linked READ/WRITE pairs, then again with fixed buffers.
 * Prints the same natively and inside sole. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common.h"

#define CHUNK 4096
#define MESSAGES 5

static int wait_one(struct io_uring *ring, unsigned long long *user_data)
{
	struct io_uring_cqe *cqe;
	int err = io_uring_wait_cqe(ring, &cqe);
	require(err == 0, "io_uring_wait_cqe");
	int res = cqe->res;
	if (user_data)
		*user_data = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* The server: accepts one connection and echoes it until EOF. */
static void serve(int listener)
{
	struct io_uring ring;
	require(io_uring_queue_init(8, &ring, 0) == 0, "server ring");
	io_uring_prep_accept(io_uring_get_sqe(&ring), listener, NULL, NULL, 0);
	io_uring_submit(&ring);
	int conn = wait_one(&ring, NULL);
	require(conn >= 0, "accept");
	char buf[256];
	for (;;) {
		io_uring_prep_recv(io_uring_get_sqe(&ring), conn, buf, sizeof buf, 0);
		io_uring_submit(&ring);
		int n = wait_one(&ring, NULL);
		if (n <= 0)
			break;
		io_uring_prep_send(io_uring_get_sqe(&ring), conn, buf, (size_t)n, 0);
		io_uring_submit(&ring);
		require(wait_one(&ring, NULL) == n, "send");
	}
	io_uring_prep_close(io_uring_get_sqe(&ring), conn);
	io_uring_submit(&ring);
	wait_one(&ring, NULL);
	io_uring_queue_exit(&ring);
}

static void test_echo(void)
{
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof addr;
	require(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0, "bind");
	require(listen(listener, 4) == 0, "listen");
	require(getsockname(listener, (struct sockaddr *)&addr, &len) == 0, "getsockname");
	pid_t pid = fork();
	require(pid >= 0, "fork");
	if (pid == 0) {
		serve(listener);
		_exit(0);
	}
	close(listener);
	struct io_uring ring;
	require(io_uring_queue_init(8, &ring, 0) == 0, "client ring");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	io_uring_prep_connect(io_uring_get_sqe(&ring), fd, (struct sockaddr *)&addr, sizeof addr);
	io_uring_submit(&ring);
	printf("connect: %d\n", wait_one(&ring, NULL));
	for (int i = 0; i < MESSAGES; i++) {
		char out[64], in[64] = {0};
		int n = snprintf(out, sizeof out, "message %d through the ring", i);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_send(sqe, fd, out, (size_t)n, 0);
		sqe->user_data = 1;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_recv(sqe, fd, in, sizeof in - 1, 0);
		sqe->user_data = 2;
		io_uring_submit(&ring);
		int sent = 0, got = 0;
		for (int k = 0; k < 2; k++) {
			unsigned long long ud;
			int res = wait_one(&ring, &ud);
			if (ud == 1)
				sent = res;
			else
				got = res;
		}
		/* On loopback the echo comes back whole in one recv. */
		printf("sent %d, echoed %d: %s\n", sent, got, in);
	}
	shutdown(fd, SHUT_WR);
	int status;
	waitpid(pid, &status, 0);
	printf("server exit: %d\n", WEXITSTATUS(status));
	close(fd);
	io_uring_queue_exit(&ring);
}

static void fill(int fd, size_t size)
{
	char block[1000];
	for (size_t done = 0; done < size;) {
		size_t n = size - done < sizeof block ? size - done : sizeof block;
		for (size_t i = 0; i < n; i++)
			block[i] = (char)('a' + (done + i) % 26);
		require(write(fd, block, n) == (ssize_t)n, "write");
		done += n;
	}
}

static int same_files(int a, int b, size_t size)
{
	char x[CHUNK], y[CHUNK];
	for (off_t at = 0; at < (off_t)size; at += CHUNK) {
		ssize_t n = pread(a, x, CHUNK, at);
		if (n <= 0 || pread(b, y, CHUNK, at) != n || memcmp(x, y, (size_t)n))
			return 0;
	}
	return 1;
}

/* Copies src to dst in chunks, each a READ linked to its WRITE. */
static void copy(struct io_uring *ring, int src, int dst, size_t size, bool fixed, char (*bufs)[CHUNK])
{
	size_t blocks = (size + CHUNK - 1) / CHUNK, done = 0;
	while (done < blocks) {
		size_t batch = blocks - done < 2 ? blocks - done : 2;
		for (size_t i = 0; i < batch; i++) {
			off_t at = (off_t)((done + i) * CHUNK);
			unsigned n = (unsigned)(size - (size_t)at < CHUNK ? size - (size_t)at : CHUNK);
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			if (fixed)
				io_uring_prep_read_fixed(sqe, src, bufs[i], n, (uint64_t)at, (int)i);
			else
				io_uring_prep_read(sqe, src, bufs[i], n, (uint64_t)at);
			sqe->flags |= IOSQE_IO_LINK;
			sqe = io_uring_get_sqe(ring);
			if (fixed)
				io_uring_prep_write_fixed(sqe, dst, bufs[i], n, (uint64_t)at, (int)i);
			else
				io_uring_prep_write(sqe, dst, bufs[i], n, (uint64_t)at);
		}
		io_uring_submit(ring);
		for (size_t i = 0; i < 2 * batch; i++)
			require(wait_one(ring, NULL) > 0, "copy completion");
		done += batch;
	}
	io_uring_prep_fsync(io_uring_get_sqe(ring), dst, 0);
	io_uring_submit(ring);
	printf("fsync: %d\n", wait_one(ring, NULL));
}

static void test_copy(void)
{
	char src_path[] = "/tmp/liburing-src-XXXXXX", dst_path[] = "/tmp/liburing-dst-XXXXXX";
	int src = mkstemp(src_path), dst = mkstemp(dst_path);
	require(src >= 0 && dst >= 0, "mkstemp");
	size_t size = 3 * CHUNK + 123;
	fill(src, size);
	struct io_uring ring;
	require(io_uring_queue_init(16, &ring, 0) == 0, "copy ring");
	static char bufs[2][CHUNK];
	copy(&ring, src, dst, size, false, bufs);
	struct stat st;
	fstat(dst, &st);
	printf("copy: %lld bytes, same %d\n", (long long)st.st_size, same_files(src, dst, size));
	require(ftruncate(dst, 0) == 0, "ftruncate");
	struct iovec iov[2] = {{bufs[0], CHUNK}, {bufs[1], CHUNK}};
	printf("register buffers: %d\n", io_uring_register_buffers(&ring, iov, 2));
	copy(&ring, src, dst, size, true, bufs);
	fstat(dst, &st);
	printf("fixed copy: %lld bytes, same %d\n", (long long)st.st_size, same_files(src, dst, size));
	printf("unregister buffers: %d\n", io_uring_unregister_buffers(&ring));

	/* A wait with a timeout and nothing to wait for. */
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = {0, 20000000};
	printf("wait with timeout: %d\n", io_uring_wait_cqe_timeout(&ring, &cqe, &ts));
	struct io_uring_probe *probe = io_uring_get_probe_ring(&ring);
	printf("probe: read %d, write %d, accept %d\n", io_uring_opcode_supported(probe, IORING_OP_READ),
	       io_uring_opcode_supported(probe, IORING_OP_WRITE), io_uring_opcode_supported(probe, IORING_OP_ACCEPT));
	io_uring_free_probe(probe);
	io_uring_queue_exit(&ring);
	close(src);
	close(dst);
	unlink(src_path);
	unlink(dst_path);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_echo();
	test_copy();
	return 0;
}
