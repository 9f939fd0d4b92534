/* io_uring through raw syscalls and <linux/io_uring.h> (no liburing, so
 * that every flavour builds it): setup and the mapped rings, NOP, a file
 * copy with READ/WRITE and fixed buffers, readv/writev, FSYNC, linked
 * chains, timeouts, POLL_ADD on a pipe, a TCP echo with ACCEPT, CONNECT,
 * RECV and SEND, cancellation, OPENAT/STATX/CLOSE, the probe, an eventfd,
 * and the errors for bad arguments. CQEs of a batch print sorted by
 * user_data, so the order of completions does not matter. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "common.h"

#ifndef STATX_SIZE
#define STATX_SIZE 0x200u
#endif

struct ring {
	int fd;
	unsigned sq_entries, cq_entries;
	unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *sq_flags;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned sq_local_tail;
};

static int uring_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int uring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags, void *arg, size_t argsz)
{
	return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, arg, argsz);
}

static int uring_register(int fd, unsigned opcode, void *arg, unsigned nr)
{
	return (int)syscall(__NR_io_uring_register, fd, opcode, arg, nr);
}

static void ring_init_flags(struct ring *r, unsigned entries, unsigned flags)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	p.flags = flags;
	r->fd = uring_setup(entries, &p);
	require(r->fd >= 0, "io_uring_setup");
	require(p.features & IORING_FEAT_SINGLE_MMAP, "single mmap");
	size_t rings = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (cq_size > rings)
		rings = cq_size;
	char *sq = mmap(NULL, rings, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	require(sq != MAP_FAILED, "mmap rings");
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
	               MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	require(r->sqes != MAP_FAILED, "mmap sqes");
	r->sq_entries = p.sq_entries;
	r->cq_entries = p.cq_entries;
	r->sq_head = (unsigned *)(sq + p.sq_off.head);
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->sq_flags = (unsigned *)(sq + p.sq_off.flags);
	r->cq_head = (unsigned *)(sq + p.cq_off.head);
	r->cq_tail = (unsigned *)(sq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(sq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(sq + p.cq_off.cqes);
	r->sq_local_tail = *r->sq_tail;
}

static void ring_init(struct ring *r, unsigned entries) { ring_init_flags(r, entries, 0); }

static struct io_uring_sqe *sqe_get(struct ring *r, int opcode, int fd, uint64_t user_data)
{
	unsigned index = r->sq_local_tail & *r->sq_mask;
	struct io_uring_sqe *s = &r->sqes[index];
	memset(s, 0, sizeof *s);
	s->opcode = (uint8_t)opcode;
	s->fd = fd;
	s->user_data = user_data;
	r->sq_array[index] = index;
	r->sq_local_tail++;
	__atomic_store_n(r->sq_tail, r->sq_local_tail, __ATOMIC_RELEASE);
	return s;
}

/* Submits what is queued and waits for wait_nr completions: enter's return. */
static int submit(struct ring *r, unsigned wait_nr)
{
	unsigned pending = r->sq_local_tail - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	return uring_enter(r->fd, pending, wait_nr, wait_nr ? IORING_ENTER_GETEVENTS : 0, NULL, 0);
}

static unsigned cq_ready(struct ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/* common.h's names, and the ones io_uring adds. */
static const char *error_name(int e)
{
	switch (e) {
	case ETIME: return "ETIME";
	case ECANCELED: return "ECANCELED";
	case ENOTSOCK: return "ENOTSOCK";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return errno_name(e);
	}
}

/* Takes every CQE waiting and prints them by user_data. */
static void reap(struct ring *r, const char *what)
{
	struct io_uring_cqe got[64];
	unsigned n = 0;
	while (cq_ready(r) && n < 64) {
		got[n++] = r->cqes[*r->cq_head & *r->cq_mask];
		__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (got[j].user_data < got[i].user_data) {
				struct io_uring_cqe t = got[i];
				got[i] = got[j];
				got[j] = t;
			}
	for (unsigned i = 0; i < n; i++) {
		int res = got[i].res;
		if (res < 0)
			printf("%s: ud=%llu res=-%s\n", what, (unsigned long long)got[i].user_data, error_name(-res));
		else
			printf("%s: ud=%llu res=%d\n", what, (unsigned long long)got[i].user_data, res);
	}
}

static void show(const char *what, int ret)
{
	printf("%s: %s\n", what, ret < 0 ? error_name(errno) : "OK");
}

static void test_setup_errors(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	show("setup 0 entries", uring_setup(0, &p));
	show("setup bad params", uring_setup(4, (void *)8));
	memset(&p, 0, sizeof p);
	p.resv[0] = 1;
	show("setup resv", uring_setup(4, &p));
	memset(&p, 0, sizeof p);
	p.flags = 1u << 30;
	show("setup unknown flag", uring_setup(4, &p));
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 2;
	show("setup cq smaller than sq", uring_setup(8, &p));
	memset(&p, 0, sizeof p);
	show("setup too many", uring_setup(100000, &p));
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_CLAMP;
	int fd = uring_setup(100000, &p);
	printf("setup clamp: sq=%u cq=%u\n", p.sq_entries, p.cq_entries);
	close(fd);
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 100;
	fd = uring_setup(5, &p);
	printf("setup cqsize: sq=%u cq=%u\n", p.sq_entries, p.cq_entries);
	close(fd);
	show("enter bad fd", uring_enter(-1, 0, 0, 0, NULL, 0));
	int pipefd[2];
	require(pipe(pipefd) == 0, "pipe");
	show("enter on a pipe", uring_enter(pipefd[0], 0, 0, 0, NULL, 0));
	show("register on a pipe", uring_register(pipefd[0], IORING_REGISTER_PROBE, NULL, 0));
	close(pipefd[0]);
	close(pipefd[1]);
}

static void test_nop_and_errors(struct ring *r)
{
	sqe_get(r, IORING_OP_NOP, -1, 1);
	printf("nop submitted: %d\n", submit(r, 1));
	reap(r, "nop");
	sqe_get(r, 250, -1, 2);
	sqe_get(r, IORING_OP_READ, 999, 3)->len = 1;
	/* Submission stops at a failed SQE, which still counts. */
	printf("bad sqes submitted: %d\n", uring_enter(r->fd, 2, 0, 0, NULL, 0));
	printf("rest submitted: %d\n", uring_enter(r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	reap(r, "bad sqe");
	show("enter unknown flag", uring_enter(r->fd, 0, 0, 1u << 31, NULL, 0));
	show("register unknown opcode", uring_register(r->fd, 9999, NULL, 0));
	show("unregister buffers without any", uring_register(r->fd, IORING_UNREGISTER_BUFFERS, NULL, 0));
	struct io_uring_getevents_arg arg = {0};
	struct __kernel_timespec ts = {0, 20000000};
	arg.ts = (uint64_t)(uintptr_t)&ts;
	show("wait with timeout", uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg,
	                                      sizeof arg));
	show("ext arg bad size", uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, 3));
	show("ext arg bad pointer", uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
	                                        (void *)8, sizeof arg));
}

static const char text[] = "io_uring moves these bytes from one file to another\n";

static void test_file_copy(struct ring *r)
{
	char src_path[] = "/tmp/io-uring-src-XXXXXX", dst_path[] = "/tmp/io-uring-dst-XXXXXX";
	int src = mkstemp(src_path), dst = mkstemp(dst_path);
	require(src >= 0 && dst >= 0, "mkstemp");
	require(write(src, text, sizeof text - 1) == (ssize_t)(sizeof text - 1), "write");
	char buf[128] = {0};
	struct io_uring_sqe *s = sqe_get(r, IORING_OP_READ, src, 10);
	s->addr = (uintptr_t)buf;
	s->len = sizeof text - 1;
	s->off = 0;
	s->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_WRITE, dst, 11);
	s->addr = (uintptr_t)buf;
	s->len = sizeof text - 1;
	s->off = 0;
	s->flags = IOSQE_IO_LINK;
	sqe_get(r, IORING_OP_FSYNC, dst, 12);
	printf("copy submitted: %d\n", submit(r, 3));
	reap(r, "copy");
	char back[128] = {0};
	require(pread(dst, back, sizeof back, 0) >= 0, "pread");
	printf("copy same: %d\n", strcmp(back, text) == 0);

	/* The same with fixed buffers. */
	static char fixed[2][64];
	struct iovec bufs[2] = {{fixed[0], 64}, {fixed[1], 64}};
	show("register buffers", uring_register(r->fd, IORING_REGISTER_BUFFERS, bufs, 2));
	show("register buffers again", uring_register(r->fd, IORING_REGISTER_BUFFERS, bufs, 2));
	s = sqe_get(r, IORING_OP_READ_FIXED, src, 20);
	s->addr = (uintptr_t)fixed[1];
	s->len = 10;
	s->off = 3;
	s->buf_index = 1;
	s->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_WRITE_FIXED, dst, 21);
	s->addr = (uintptr_t)fixed[1];
	s->len = 10;
	s->off = 100;
	s->buf_index = 1;
	s = sqe_get(r, IORING_OP_READ_FIXED, src, 22);
	s->addr = (uintptr_t)fixed[0];
	s->len = 10;
	s->buf_index = 5;
	s = sqe_get(r, IORING_OP_READ_FIXED, src, 23);
	s->addr = (uintptr_t)fixed[0] + 60;
	s->len = 10;
	s->buf_index = 0;
	printf("fixed submitted: %d\n", submit(r, 4));
	reap(r, "fixed");
	memset(back, 0, sizeof back);
	printf("fixed copy: %zd '%.10s'\n", pread(dst, back, 10, 100), back);
	show("unregister buffers", uring_register(r->fd, IORING_UNREGISTER_BUFFERS, NULL, 0));

	/* readv and writev at the file position (off -1). */
	char a[5], b[7];
	struct iovec in[2] = {{a, sizeof a}, {b, sizeof b}};
	s = sqe_get(r, IORING_OP_READV, src, 30);
	s->addr = (uintptr_t)in;
	s->len = 2;
	s->off = 0;
	submit(r, 1);
	reap(r, "readv");
	printf("readv: '%.5s' '%.7s'\n", a, b);
	struct iovec out[2] = {{"abc", 3}, {"defg", 4}};
	lseek(dst, 0, SEEK_SET);
	s = sqe_get(r, IORING_OP_WRITEV, dst, 31);
	s->addr = (uintptr_t)out;
	s->len = 2;
	s->off = (uint64_t)-1;
	submit(r, 1);
	reap(r, "writev");
	printf("position after writev: %ld\n", (long)lseek(dst, 0, SEEK_CUR));

	/* A chain whose second link fails: the rest is cancelled. */
	int wronly = open(src_path, O_WRONLY);
	sqe_get(r, IORING_OP_NOP, -1, 40)->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_READ, wronly, 41);
	s->addr = (uintptr_t)buf;
	s->len = 4;
	s->flags = IOSQE_IO_LINK;
	sqe_get(r, IORING_OP_NOP, -1, 42)->flags = IOSQE_IO_LINK;
	sqe_get(r, IORING_OP_NOP, -1, 43);
	printf("chain submitted: %d\n", submit(r, 4));
	reap(r, "chain");
	/* A short read fails its link too. */
	s = sqe_get(r, IORING_OP_READ, src, 44);
	s->addr = (uintptr_t)buf;
	s->len = 100;
	s->off = 0;
	s->flags = IOSQE_IO_LINK;
	sqe_get(r, IORING_OP_NOP, -1, 45);
	submit(r, 2);
	reap(r, "short chain");
	/* A bad buffer: EFAULT in the CQE. */
	s = sqe_get(r, IORING_OP_READ, src, 46);
	s->addr = 8;
	s->len = 4;
	s->off = 0;
	submit(r, 1);
	reap(r, "bad buffer");

	/* Fixed files. */
	int files[2] = {-1, src};
	show("register files", uring_register(r->fd, IORING_REGISTER_FILES, files, 2));
	s = sqe_get(r, IORING_OP_READ, 1, 50);
	s->addr = (uintptr_t)buf;
	s->len = 5;
	s->off = 0;
	s->flags = IOSQE_FIXED_FILE;
	s = sqe_get(r, IORING_OP_READ, 0, 51);
	s->addr = (uintptr_t)buf;
	s->len = 5;
	s->flags = IOSQE_FIXED_FILE;
	s = sqe_get(r, IORING_OP_READ, 7, 52);
	s->addr = (uintptr_t)buf;
	s->len = 5;
	s->flags = IOSQE_FIXED_FILE;
	uring_enter(r->fd, 3, 0, IORING_ENTER_GETEVENTS, NULL, 0);
	reap(r, "fixed file");
	show("unregister files", uring_register(r->fd, IORING_UNREGISTER_FILES, NULL, 0));

	/* OPENAT, STATX and CLOSE. */
	uint64_t stx[32] = {0}; /* struct statx, which old musl lacks: stx_size is its sixth u64 */
	s = sqe_get(r, IORING_OP_STATX, AT_FDCWD, 60);
	s->addr = (uintptr_t)src_path;
	s->len = STATX_SIZE;
	s->addr2 = (uintptr_t)stx;
	submit(r, 1);
	reap(r, "statx");
	printf("statx size: %llu\n", (unsigned long long)stx[5]);
	s = sqe_get(r, IORING_OP_OPENAT, AT_FDCWD, 61);
	s->addr = (uintptr_t)src_path;
	s->open_flags = O_RDONLY;
	submit(r, 1);
	struct io_uring_cqe cqe = r->cqes[*r->cq_head & *r->cq_mask];
	int opened = cqe.res;
	printf("openat gave a descriptor: %d\n", opened >= 0);
	__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
	sqe_get(r, IORING_OP_CLOSE, opened, 62);
	sqe_get(r, IORING_OP_CLOSE, opened, 63);
	sqe_get(r, IORING_OP_CLOSE, r->fd, 64);
	uring_enter(r->fd, 3, 3, IORING_ENTER_GETEVENTS, NULL, 0);
	reap(r, "close");
	s = sqe_get(r, IORING_OP_OPENAT, AT_FDCWD, 65);
	s->addr = (uintptr_t) "/nonexistent/file";
	submit(r, 1);
	reap(r, "openat missing");
	close(wronly);
	close(src);
	close(dst);
	unlink(src_path);
	unlink(dst_path);
}

static void test_timeouts(struct ring *r)
{
	struct __kernel_timespec ts = {0, 10000000};
	struct io_uring_sqe *s = sqe_get(r, IORING_OP_TIMEOUT, -1, 70);
	s->addr = (uintptr_t)&ts;
	s->len = 1;
	submit(r, 1);
	reap(r, "timeout");
	/* One that a completion ends first. */
	struct __kernel_timespec long_ts = {10, 0};
	s = sqe_get(r, IORING_OP_TIMEOUT, -1, 71);
	s->addr = (uintptr_t)&long_ts;
	s->len = 1;
	s->off = 1;
	sqe_get(r, IORING_OP_NOP, -1, 72);
	submit(r, 2);
	reap(r, "counted timeout");
	/* One removed. */
	s = sqe_get(r, IORING_OP_TIMEOUT, -1, 73);
	s->addr = (uintptr_t)&long_ts;
	s->len = 1;
	submit(r, 0);
	s = sqe_get(r, IORING_OP_TIMEOUT_REMOVE, -1, 74);
	s->addr = 73;
	s = sqe_get(r, IORING_OP_TIMEOUT_REMOVE, -1, 75);
	s->addr = 12345;
	submit(r, 3);
	reap(r, "timeout remove");
	s = sqe_get(r, IORING_OP_TIMEOUT, -1, 76);
	s->addr = (uintptr_t)&ts;
	s->len = 2;
	submit(r, 1);
	reap(r, "timeout bad len");
}

static void test_poll(struct ring *r)
{
	int p[2];
	require(pipe(p) == 0, "pipe");
	struct io_uring_sqe *s = sqe_get(r, IORING_OP_POLL_ADD, p[0], 80);
	s->poll32_events = POLLIN;
	submit(r, 0);
	struct pollfd pfd = {r->fd, POLLIN, 0};
	printf("ring readable before: %d\n", poll(&pfd, 1, 0));
	printf("completions before write: %u\n", cq_ready(r));
	require(write(p[1], "x", 1) == 1, "write");
	printf("ring readable after: %d\n", poll(&pfd, 1, 1000));
	uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	reap(r, "poll");
	/* A poll removed before it fires. */
	s = sqe_get(r, IORING_OP_POLL_ADD, p[1], 81);
	s->poll32_events = POLLPRI;
	submit(r, 0);
	s = sqe_get(r, IORING_OP_POLL_REMOVE, -1, 82);
	s->addr = 81;
	submit(r, 2);
	reap(r, "poll remove");
	close(p[0]);
	close(p[1]);
}

static void test_eventfd(struct ring *r)
{
	int efd = eventfd(0, 0);
	show("register eventfd", uring_register(r->fd, IORING_REGISTER_EVENTFD, &efd, 1));
	show("register eventfd again", uring_register(r->fd, IORING_REGISTER_EVENTFD, &efd, 1));
	sqe_get(r, IORING_OP_NOP, -1, 90);
	sqe_get(r, IORING_OP_NOP, -1, 91);
	submit(r, 2);
	uint64_t count = 0;
	require(read(efd, &count, sizeof count) == sizeof count, "read eventfd");
	printf("eventfd count: %llu\n", (unsigned long long)count);
	reap(r, "eventfd");
	show("unregister eventfd", uring_register(r->fd, IORING_UNREGISTER_EVENTFD, NULL, 0));
	close(efd);
}

static void test_echo(struct ring *r)
{
	int listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof addr;
	require(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0, "bind");
	require(listen(listener, 4) == 0, "listen");
	require(getsockname(listener, (struct sockaddr *)&addr, &len) == 0, "getsockname");
	int client = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in peer;
	socklen_t peer_len = sizeof peer;
	struct io_uring_sqe *s = sqe_get(r, IORING_OP_ACCEPT, listener, 100);
	s->addr = (uintptr_t)&peer;
	s->addr2 = (uintptr_t)&peer_len;
	s = sqe_get(r, IORING_OP_CONNECT, client, 101);
	s->addr = (uintptr_t)&addr;
	s->off = sizeof addr;
	submit(r, 2);
	int server = -1;
	for (int i = 0; i < 2; i++) {
		if (!cq_ready(r))
			uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
		struct io_uring_cqe c = r->cqes[*r->cq_head & *r->cq_mask];
		__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
		if (c.user_data == 100)
			server = c.res;
		else
			printf("connect: %d\n", c.res);
	}
	printf("accepted: %d, peer family %d, peer is loopback %d\n", server >= 0, peer.sin_family,
	       peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	/* The server's RECV waits for the client's SEND; the echo goes back. */
	char in[32] = {0}, back[32] = {0};
	s = sqe_get(r, IORING_OP_RECV, server, 102);
	s->addr = (uintptr_t)in;
	s->len = sizeof in;
	submit(r, 0);
	printf("recv waiting: %u\n", cq_ready(r));
	s = sqe_get(r, IORING_OP_SEND, client, 103);
	s->addr = (uintptr_t) "ping";
	s->len = 4;
	submit(r, 2);
	reap(r, "echo 1");
	s = sqe_get(r, IORING_OP_SEND, server, 104);
	s->addr = (uintptr_t)in;
	s->len = 4;
	s->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_RECV, client, 105);
	s->addr = (uintptr_t)back;
	s->len = sizeof back;
	submit(r, 2);
	reap(r, "echo 2");
	printf("echoed: '%s'\n", back);
	/* epoll on the ring: a RECV completing makes the ring readable, and
	 * its CQE is there without another io_uring_enter. */
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN};
	epoll_ctl(ep, EPOLL_CTL_ADD, r->fd, &ev);
	s = sqe_get(r, IORING_OP_RECV, server, 117);
	s->addr = (uintptr_t)in;
	s->len = sizeof in;
	submit(r, 0);
	printf("epoll before: %d\n", epoll_wait(ep, &ev, 1, 0));
	require(write(client, "late", 4) == 4, "write");
	printf("epoll after: %d\n", epoll_wait(ep, &ev, 1, 1000));
	reap(r, "epoll");
	close(ep);
	/* sendmsg and recvmsg. */
	struct iovec iov_out = {"pong!", 5}, iov_in = {back, sizeof back};
	struct msghdr mout = {.msg_iov = &iov_out, .msg_iovlen = 1}, min = {.msg_iov = &iov_in, .msg_iovlen = 1};
	s = sqe_get(r, IORING_OP_RECVMSG, server, 106);
	s->addr = (uintptr_t)&min;
	s = sqe_get(r, IORING_OP_SENDMSG, client, 107);
	s->addr = (uintptr_t)&mout;
	submit(r, 2);
	reap(r, "msg");
	printf("recvmsg got: '%.5s'\n", back);
	/* A recv that nothing sends to: cancelled, then one timed out by a link. */
	s = sqe_get(r, IORING_OP_RECV, server, 108);
	s->addr = (uintptr_t)in;
	s->len = sizeof in;
	submit(r, 0);
	s = sqe_get(r, IORING_OP_ASYNC_CANCEL, -1, 109);
	s->addr = 108;
	submit(r, 2);
	reap(r, "cancel");
	struct __kernel_timespec ts = {0, 10000000};
	s = sqe_get(r, IORING_OP_RECV, server, 110);
	s->addr = (uintptr_t)in;
	s->len = sizeof in;
	s->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_LINK_TIMEOUT, -1, 111);
	s->addr = (uintptr_t)&ts;
	s->len = 1;
	submit(r, 2);
	reap(r, "link timeout");
	/* A link timeout that the request beats. */
	s = sqe_get(r, IORING_OP_NOP, -1, 112);
	s->flags = IOSQE_IO_LINK;
	s = sqe_get(r, IORING_OP_LINK_TIMEOUT, -1, 113);
	s->addr = (uintptr_t)&ts;
	s->len = 1;
	submit(r, 2);
	reap(r, "link timeout beaten");
	int p[2];
	require(pipe(p) == 0, "pipe");
	s = sqe_get(r, IORING_OP_RECV, p[0], 114);
	s->addr = (uintptr_t)in;
	s->len = 1;
	s = sqe_get(r, IORING_OP_ACCEPT, client, 115);
	submit(r, 2);
	reap(r, "socket errors");
	close(p[0]);
	close(p[1]);
	close(client);
	close(server);
	close(listener);
	/* A connect to the port nobody listens on any more. */
	int refused = socket(AF_INET, SOCK_STREAM, 0);
	s = sqe_get(r, IORING_OP_CONNECT, refused, 116);
	s->addr = (uintptr_t)&addr;
	s->off = sizeof addr;
	submit(r, 1);
	reap(r, "refused");
	close(refused);
}

static void test_probe(struct ring *r)
{
	static const struct {
		int op;
		const char *name;
	} ops[] = {
	    {IORING_OP_NOP, "NOP"},
	    {IORING_OP_READV, "READV"},
	    {IORING_OP_WRITEV, "WRITEV"},
	    {IORING_OP_FSYNC, "FSYNC"},
	    {IORING_OP_READ_FIXED, "READ_FIXED"},
	    {IORING_OP_WRITE_FIXED, "WRITE_FIXED"},
	    {IORING_OP_POLL_ADD, "POLL_ADD"},
	    {IORING_OP_POLL_REMOVE, "POLL_REMOVE"},
	    {IORING_OP_SENDMSG, "SENDMSG"},
	    {IORING_OP_RECVMSG, "RECVMSG"},
	    {IORING_OP_TIMEOUT, "TIMEOUT"},
	    {IORING_OP_TIMEOUT_REMOVE, "TIMEOUT_REMOVE"},
	    {IORING_OP_ACCEPT, "ACCEPT"},
	    {IORING_OP_ASYNC_CANCEL, "ASYNC_CANCEL"},
	    {IORING_OP_LINK_TIMEOUT, "LINK_TIMEOUT"},
	    {IORING_OP_CONNECT, "CONNECT"},
	    {IORING_OP_OPENAT, "OPENAT"},
	    {IORING_OP_CLOSE, "CLOSE"},
	    {IORING_OP_STATX, "STATX"},
	    {IORING_OP_READ, "READ"},
	    {IORING_OP_WRITE, "WRITE"},
	    {IORING_OP_SEND, "SEND"},
	    {IORING_OP_RECV, "RECV"},
	};
	size_t size = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = calloc(1, size);
	show("probe", uring_register(r->fd, IORING_REGISTER_PROBE, p, 256));
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		printf("probe %s: %d\n", ops[i].name,
		       ops[i].op < p->ops_len && (p->ops[ops[i].op].flags & IO_URING_OP_SUPPORTED) != 0);
	p->ops_len = 0;
	p->last_op = 1;
	show("probe not zeroed", uring_register(r->fd, IORING_REGISTER_PROBE, p, 256));
	show("probe bad pointer", uring_register(r->fd, IORING_REGISTER_PROBE, (void *)8, 4));
	free(p);
}

/* IORING_SETUP_COOP_TASKRUN with TASKRUN_FLAG: a poll that became ready
 * completes when the app enters the ring, which IORING_SQ_TASKRUN tells it
 * to do. */
static void test_taskrun_flag(void)
{
	struct ring r;
	ring_init_flags(&r, 4, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
	int pipefd[2];
	require(pipe(pipefd) == 0, "pipe");
	sqe_get(&r, IORING_OP_POLL_ADD, pipefd[0], 150)->poll32_events = POLLIN;
	submit(&r, 0);
	printf("taskrun before: %d\n", (*r.sq_flags & IORING_SQ_TASKRUN) != 0);
	require(write(pipefd[1], "x", 1) == 1, "write");
	printf("taskrun after write: %d, ready %u\n", (*r.sq_flags & IORING_SQ_TASKRUN) != 0, cq_ready(&r));
	uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0);
	printf("taskrun after enter: %d\n", (*r.sq_flags & IORING_SQ_TASKRUN) != 0);
	reap(&r, "taskrun");
	close(pipefd[0]);
	close(pipefd[1]);
	close(r.fd);
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	p.flags = IORING_SETUP_TASKRUN_FLAG;
	show("setup taskrun flag alone", uring_setup(4, &p));
}

/* A CQ ring too small for what completes: the rest waits in the kernel
 * (IORING_FEAT_NODROP) with IORING_SQ_CQ_OVERFLOW set, and comes once the
 * app has made room and enters again. */
static void test_overflow(void)
{
	struct ring r;
	ring_init(&r, 1);
	for (int i = 0; i < 4; i++) {
		sqe_get(&r, IORING_OP_NOP, -1, 130 + (unsigned)i);
		printf("overflow submit %d: %d\n", i, submit(&r, 0));
	}
	printf("ready while overflowing: %u, flag %d\n", cq_ready(&r), (*r.sq_flags & IORING_SQ_CQ_OVERFLOW) != 0);
	reap(&r, "overflow first");
	printf("enter: %d\n", uring_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	printf("flag after: %d\n", (*r.sq_flags & IORING_SQ_CQ_OVERFLOW) != 0);
	reap(&r, "overflow rest");
	close(r.fd);
}

/* IOSQE_IO_DRAIN: the NOP waits for the timeout before it, and the NOP
 * after it waits for it: they complete in submission order. */
static void test_drain(struct ring *r)
{
	struct __kernel_timespec ts = {0, 20000000};
	struct io_uring_sqe *s = sqe_get(r, IORING_OP_TIMEOUT, -1, 140);
	s->addr = (uintptr_t)&ts;
	s->len = 1;
	sqe_get(r, IORING_OP_NOP, -1, 141)->flags = IOSQE_IO_DRAIN;
	sqe_get(r, IORING_OP_NOP, -1, 142);
	printf("drain submitted: %d\n", submit(r, 3));
	for (int seen = 0; seen < 3; seen++) {
		if (!cq_ready(r))
			uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
		struct io_uring_cqe c = r->cqes[*r->cq_head & *r->cq_mask];
		__atomic_store_n(r->cq_head, *r->cq_head + 1, __ATOMIC_RELEASE);
		printf("drain order: ud=%llu res=%s\n", (unsigned long long)c.user_data,
		       c.res < 0 ? error_name(-c.res) : "0");
	}
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* The wait's signal mask: SIGALRM, blocked around the call, gets through
 * during it, and the wait ends with EINTR; the old mask is back after. */
static void test_sigmask(struct ring *r)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	sigaction(SIGALRM, &sa, NULL);
	sigset_t block, during;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&during);
	struct itimerval it = {.it_value = {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	show("wait with sigmask", uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, &during, 8));
	printf("alarms: %d\n", (int)alarms);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	printf("SIGALRM blocked after: %d\n", sigismember(&now, SIGALRM));
	show("wait with bad sigmask size", uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, &during, 3));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static void test_fork(struct ring *r)
{
	/* The child shares the rings: its NOP shows up in the parent's CQ. */
	pid_t pid = fork();
	if (pid == 0) {
		sqe_get(r, IORING_OP_NOP, -1, 120);
		_exit(submit(r, 1) == 1 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child status: %d\n", WEXITSTATUS(status));
	r->sq_local_tail = *r->sq_tail;
	reap(r, "after fork");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	test_setup_errors();
	struct ring r;
	ring_init(&r, 8);
	printf("ring: sq %u cq %u\n", r.sq_entries, r.cq_entries);
	test_nop_and_errors(&r);
	test_file_copy(&r);
	test_timeouts(&r);
	test_poll(&r);
	test_eventfd(&r);
	test_echo(&r);
	test_probe(&r);
	test_sigmask(&r);
	test_drain(&r);
	test_overflow();
	test_taskrun_flag();
	test_fork(&r);
	close(r.fd);
	return 0;
}
