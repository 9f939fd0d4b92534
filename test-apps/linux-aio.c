/* linux-aio: Linux native AIO through syscall(2), without libaio: io_setup's
 * checks and ring header, reads and writes (plain and vectored) and syncs
 * reaped with io_getevents, an eventfd told of completions, POLL on a
 * pipe, io_cancel, io_pgetevents and io_destroy. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* Linux's AIO ABI (linux/aio_abi.h, which musl's headers lack). */
typedef unsigned long aio_context_t;
enum { IOCB_CMD_PREAD, IOCB_CMD_PWRITE, IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC, IOCB_CMD_POLL = 5, IOCB_CMD_NOOP,
       IOCB_CMD_PREADV, IOCB_CMD_PWRITEV };
#define IOCB_FLAG_RESFD 1
#define AIO_RWF_NOWAIT 0x8 /* RWF_NOWAIT */
struct io_event {
	uint64_t data, obj;
	int64_t res, res2;
};
struct iocb {
	uint64_t aio_data;
	uint32_t aio_key, aio_rw_flags; /* little-endian order */
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf, aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags, aio_resfd;
};

/* The ring header Linux maps at the context's address. */
struct aio_ring {
	unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
};

static long io_setup(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long io_destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(aio_context_t ctx, long nr, struct iocb **cbs) { return syscall(SYS_io_submit, ctx, nr, cbs); }
static long io_cancel(aio_context_t ctx, struct iocb *cb, struct io_event *ev)
{
	return syscall(SYS_io_cancel, ctx, cb, ev);
}
static long io_getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *t)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, t);
}

static struct iocb prep(int fd, unsigned op, void *buf, size_t n, long long off, uint64_t data)
{
	struct iocb cb;
	memset(&cb, 0, sizeof cb);
	cb.aio_fildes = (uint32_t)fd;
	cb.aio_lio_opcode = (uint16_t)op;
	cb.aio_buf = (uint64_t)(uintptr_t)buf;
	cb.aio_nbytes = n;
	cb.aio_offset = off;
	cb.aio_data = data;
	return cb;
}

static long submit1(aio_context_t ctx, struct iocb *cb) { return io_submit(ctx, 1, &cb); }

/* Reaps one event and prints it, naming its iocb among cbs. */
static void reap(const char *label, aio_context_t ctx, struct iocb *cb)
{
	struct io_event ev;
	struct timespec t = {5, 0};
	long n = io_getevents(ctx, 1, 1, &ev, &t);
	if (n != 1) {
		report_value(label, n);
		return;
	}
	printf("%s: data=%llu obj=%s res=", label, (unsigned long long)ev.data,
	       ev.obj == (uint64_t)(uintptr_t)cb ? "iocb" : "other");
	if (ev.res < 0)
		printf("%s res2=%lld\n", errno_name((int)-ev.res), (long long)ev.res2);
	else
		printf("%lld res2=%lld\n", (long long)ev.res, (long long)ev.res2);
}

static void setup_errors(void)
{
	aio_context_t ctx = 1;
	report("setup nonzero ctx", io_setup(1, &ctx));
	ctx = 0;
	report("setup zero events", io_setup(0, &ctx));
	report("setup -1 events", io_setup(-1u, &ctx));
	report("setup bad pointer", io_setup(1, (aio_context_t *)8));
	report("setup over aio-max-nr", io_setup(65537, &ctx));
	report("destroy unknown", io_destroy(12345));
	struct io_event ev;
	report("getevents unknown", io_getevents(12345, 0, 1, &ev, NULL));
	struct iocb cb = prep(0, IOCB_CMD_PREAD, NULL, 0, 0, 0);
	report("submit unknown", submit1(12345, &cb));
}

static void file_io(aio_context_t ctx)
{
	char path[] = "/tmp/linux-aio-XXXXXX";
	int fd = mkstemp(path);
	require(fd >= 0, "mkstemp");
	unlink(path);
	char out[] = "hello, aio";
	struct iocb w = prep(fd, IOCB_CMD_PWRITE, out, sizeof out - 1, 4, 1);
	report_value("submit pwrite", submit1(ctx, &w));
	reap("pwrite", ctx, &w);

	char in[32] = {0};
	struct iocb r = prep(fd, IOCB_CMD_PREAD, in, sizeof in, 0, 2);
	report_value("submit pread", submit1(ctx, &r));
	reap("pread", ctx, &r);
	printf("pread bytes: %c%c%c%c[%s]\n", in[0] ? '?' : '0', in[1] ? '?' : '0', in[2] ? '?' : '0',
	       in[3] ? '?' : '0', in + 4);

	struct iovec wv[2] = {{"AB", 2}, {"CDE", 3}};
	struct iocb wvec = prep(fd, IOCB_CMD_PWRITEV, wv, 2, 20, 3);
	char a[3] = {0}, b[4] = {0};
	struct iovec rv[2] = {{a, 2}, {b, 3}};
	struct iocb rvec = prep(fd, IOCB_CMD_PREADV, rv, 2, 20, 4);
	struct iocb *both[2] = {&wvec, &rvec};
	report_value("submit pwritev+preadv", io_submit(ctx, 2, both));
	struct io_event evs[2];
	struct timespec t = {5, 0};
	long n = io_getevents(ctx, 2, 2, evs, &t);
	report_value("getevents 2", n);
	for (long i = 0; i < n; i++)
		printf("  data=%llu res=%lld\n", (unsigned long long)evs[i].data, (long long)evs[i].res);
	printf("preadv: %s %s\n", a, b);

	struct iocb s = prep(fd, IOCB_CMD_FSYNC, NULL, 0, 0, 5);
	report_value("submit fsync", submit1(ctx, &s));
	reap("fsync", ctx, &s);
	s = prep(fd, IOCB_CMD_FDSYNC, NULL, 0, 0, 6);
	report_value("submit fdsync", submit1(ctx, &s));
	reap("fdsync", ctx, &s);

	struct iocb noop = prep(fd, IOCB_CMD_NOOP, NULL, 0, 0, 7);
	report("submit noop", submit1(ctx, &noop));
	struct iocb reserved = prep(fd, IOCB_CMD_PREAD, in, 1, 0, 8);
	reserved.aio_reserved2 = 1;
	report("submit reserved2", submit1(ctx, &reserved));
	struct iocb negative = prep(fd, IOCB_CMD_PREAD, in, 1, -1, 9);
	report("submit negative offset", submit1(ctx, &negative));
	struct iocb badfd = prep(999, IOCB_CMD_PREAD, in, 1, 0, 10);
	report("submit bad fd", submit1(ctx, &badfd));
	/* An unmapped buffer is found only by the transfer: the event says so. */
	struct iocb badbuf = prep(fd, IOCB_CMD_PREAD, (void *)8, 1, 0, 11);
	report_value("submit unmapped buffer", submit1(ctx, &badbuf));
	reap("unmapped buffer", ctx, &badbuf);
	struct iocb flags = prep(fd, IOCB_CMD_PREAD, in, 1, 0, 12);
	flags.aio_rw_flags = 0x40000000;
	report("submit bad rw_flags", submit1(ctx, &flags));
	report("submit null iocb", io_submit(ctx, 1, (struct iocb *[]){NULL}));
	report_value("submit nr 0", io_submit(ctx, 0, NULL));
	report("submit nr -1", io_submit(ctx, -1, NULL));
	/* The first good iocb counts; the bad one after it is not submitted. */
	struct iocb good = prep(fd, IOCB_CMD_PREAD, in, 2, 4, 13);
	struct iocb *mixed[2] = {&good, &badfd};
	report_value("submit good+bad", io_submit(ctx, 2, mixed));
	reap("good", ctx, &good);

	int wronly = open("/dev/null", O_WRONLY);
	struct iocb rdwo = prep(wronly, IOCB_CMD_PREAD, in, 1, 0, 14);
	report("submit read on write-only", submit1(ctx, &rdwo));
	close(wronly);
	close(fd);
}

static void getevents_waits(aio_context_t ctx)
{
	struct io_event ev[4];
	struct timespec zero = {0, 0};
	report_value("getevents none ready", io_getevents(ctx, 0, 4, ev, &zero));
	struct timespec brief = {0, 20 * 1000 * 1000};
	report_value("getevents timeout", io_getevents(ctx, 1, 4, ev, &brief));
	report("getevents min>nr", io_getevents(ctx, 2, 1, ev, NULL));
	report("getevents nr<0", io_getevents(ctx, 0, -1, ev, NULL));

	/* Events wait in the ring until reaped, up to nr at a time. */
	int fd = open("/dev/zero", O_RDONLY);
	char buf[8];
	struct iocb cbs[3];
	for (int i = 0; i < 3; i++) {
		cbs[i] = prep(fd, IOCB_CMD_PREAD, buf, sizeof buf, 0, 20 + i);
		submit1(ctx, &cbs[i]);
	}
	report_value("getevents 3 ready, nr 2", io_getevents(ctx, 1, 2, ev, NULL));
	report_value("getevents the last", io_getevents(ctx, 1, 4, ev, NULL));
	printf("last data: %llu\n", (unsigned long long)ev[0].data);
	close(fd);
}

static void resfd_and_poll(aio_context_t ctx)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	int fd = open("/dev/zero", O_RDONLY);
	char buf[4];
	struct iocb r = prep(fd, IOCB_CMD_PREAD, buf, sizeof buf, 0, 30);
	r.aio_flags = IOCB_FLAG_RESFD;
	r.aio_resfd = (uint32_t)efd;
	report_value("submit with resfd", submit1(ctx, &r));
	uint64_t count = 0;
	report_value("eventfd read", read(efd, &count, sizeof count));
	printf("eventfd count: %llu\n", (unsigned long long)count);
	reap("resfd read", ctx, &r);
	r.aio_resfd = (uint32_t)fd;
	report("submit resfd not an eventfd", submit1(ctx, &r));

	int p[2];
	require(pipe(p) == 0, "pipe");
	struct iocb poll = prep(p[0], IOCB_CMD_POLL, (void *)(uintptr_t)POLLIN, 0, 0, 31);
	report_value("submit poll", submit1(ctx, &poll));
	struct io_event ev;
	struct timespec brief = {0, 20 * 1000 * 1000};
	report_value("poll not ready", io_getevents(ctx, 1, 1, &ev, &brief));
	report_value("write pipe", write(p[1], "x", 1));
	reap("poll", ctx, &poll);

	struct iocb poll2 = prep(p[0], IOCB_CMD_POLL, (void *)(uintptr_t)POLLOUT, 0, 0, 32);
	report_value("submit poll POLLOUT on read end", submit1(ctx, &poll2));
	long c = io_cancel(ctx, &poll2, &ev);
	printf("cancel waiting poll: %s\n", c < 0 && errno == EINPROGRESS ? "EINPROGRESS" : errno_name(errno));
	reap("cancelled poll", ctx, &poll2);
	report("cancel completed", io_cancel(ctx, &poll2, &ev));

	/* A pipe read with RWF_NOWAIT ends at once with EAGAIN in its event. */
	char byte;
	report_value("read pipe", read(p[0], &byte, 1));
	struct iocb nowait = prep(p[0], IOCB_CMD_PREAD, &byte, 1, 0, 33);
	nowait.aio_rw_flags = AIO_RWF_NOWAIT;
	report_value("submit nowait pipe read", submit1(ctx, &nowait));
	reap("nowait", ctx, &nowait);
	close(p[0]);
	close(p[1]);
	close(fd);
	close(efd);
}

struct aio_sigset_arg {
	const sigset_t *sigmask;
	size_t sigsetsize;
};

static void pgetevents(aio_context_t ctx)
{
	sigset_t mask;
	sigemptyset(&mask);
	struct aio_sigset_arg sig = {&mask, 8};
	struct io_event ev;
	struct timespec zero = {0, 0};
	report_value("pgetevents none", syscall(SYS_io_pgetevents, ctx, 0, 1, &ev, &zero, &sig));
	report("pgetevents bad sigset", syscall(SYS_io_pgetevents, ctx, 0, 1, &ev, &zero, (void *)8));
	int fd = open("/dev/zero", O_RDONLY);
	char buf[2];
	struct iocb r = prep(fd, IOCB_CMD_PREAD, buf, sizeof buf, 0, 40);
	submit1(ctx, &r);
	report("getevents bad events", io_getevents(ctx, 1, 1, (struct io_event *)8, NULL));
	report_value("pgetevents one", syscall(SYS_io_pgetevents, ctx, 1, 1, &ev, NULL, &sig));
	printf("pgetevents data: %llu res: %lld\n", (unsigned long long)ev.data, (long long)ev.res);
	close(fd);
}

static void fork_and_capacity(aio_context_t ctx)
{
	pid_t pid = fork_flushed();
	if (pid == 0) {
		struct io_event ev;
		struct timespec zero = {0, 0};
		report("child getevents on parent's ctx", io_getevents(ctx, 0, 1, &ev, &zero));
		fflush(stdout);
		_exit(0);
	}
	wait_code(pid);

	/* A small context fills: submits fail with EAGAIN until events are reaped. */
	aio_context_t small = 0;
	require(io_setup(1, &small) == 0, "io_setup small");
	int fd = open("/dev/zero", O_RDONLY);
	char buf[1];
	struct iocb cb = prep(fd, IOCB_CMD_PREAD, buf, 1, 0, 50);
	long ok = 0, err = 0;
	for (int i = 0; i < 100000 && !err; i++)
		if (submit1(small, &cb) != 1)
			err = errno;
	printf("small ring full: %s\n", errno_name((int)err));
	struct io_event evs[64];
	long got = io_getevents(small, 1, 64, evs, NULL);
	ok = got > 0 && submit1(small, &cb) == 1;
	printf("submit after reaping: %s\n", ok ? "OK" : errno_name(errno));
	report("destroy small", io_destroy(small));
	close(fd);
}

int main(void)
{
	setup_errors();
	aio_context_t ctx = 0;
	require(io_setup(128, &ctx) == 0, "io_setup");
	const struct aio_ring *ring = (const struct aio_ring *)ctx;
	printf("ring magic: %#x header_length: %u incompat: %u\n", ring->magic, ring->header_length,
	       ring->incompat_features);
	aio_context_t again = ctx;
	report("setup over a used id", io_setup(1, &again));
	file_io(ctx);
	getevents_waits(ctx);
	resfd_and_poll(ctx);
	pgetevents(ctx);
	fork_and_capacity(ctx);
	report("destroy", io_destroy(ctx));
	report("destroy again", io_destroy(ctx));
	report("submit after destroy", submit1(ctx, &(struct iocb){0}));
	return 0;
}
