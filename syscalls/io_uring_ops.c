/* io_uring's requests (see kernel/fs/io_uring.h and io_uring_ops.h):
 * reading SQEs, IOSQE_IO_LINK chains, and the operations themselves, with
 * the helpers the read, sendmsg, openat, ... syscalls share.
 *
 * Every operation is first tried without blocking (its file O_NONBLOCK for
 * the attempt: the kernel is not preempted, so nobody sees the flag). One
 * that would block waits on its file's wait queue like an epoll item and
 * is tried again, in the submitting process, when the app next enters the
 * ring (io_uring_enter, or poll and epoll on the ring file): Linux runs
 * them as task work of the submitter at much the same points. Timeouts are
 * kernel timers. File I/O never waits: it completes inline.
 *
 * IOSQE_IO_DRAIN: a chain whose head asks for it starts once nothing
 * submitted before it is pending, and the chains after it start only once
 * it has ended; until then they wait in order on the ring's drained list. */
#include "syscalls/io_uring_ops.h"

#include <limits.h>
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/net/socket_core.h"
#include "kernel/proc/process.h"
#include "kernel/sched/ktimer.h"
#include "kernel/time.h"
#include "syscalls/fs_io.h"
#include "syscalls/iovec.h"
#include "syscalls/timespec.h"

/* The handlers the path operations share with their syscalls. */
long sys_openat(int dirfd, const char *user_path, int flags, unsigned mode);
long sys_close(int fd);
long sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *user_stx);

#define REQ_WAITS LONG_MIN /* an attempt that would block: the request waits */
#define SQE_FLAGS_KNOWN                                                                                                \
	(IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | IOSQE_IO_LINK | IOSQE_IO_HARDLINK | IOSQE_ASYNC | IOSQE_CQE_SKIP_SUCCESS)

struct io_req {
	struct io_ring *ring;
	struct io_uring_sqe sqe; /* the app's, copied at submission (IORING_FEAT_SUBMIT_STABLE) */
	struct file *file;       /* held; NULL for operations that name no open file */
	struct addrspace *as;    /* held: the submitter's, where the SQE's addresses point */
	bool file_nonblock;      /* the file's own O_NONBLOCK: reads and writes then fail with EAGAIN */
	bool connecting;         /* CONNECT: the attempt began, readiness tells its end */
	long expected;           /* READ and WRITE: a shorter result fails the chain, as on Linux */
	struct waiter waiter;    /* on the file's wait queue while pending */
	struct ktimer timer;     /* TIMEOUT and LINK_TIMEOUT */
	bool timer_fired;
	bool ready;            /* pending: its file's readiness or its timer came since it was last tried */
	uint64_t deadline;     /* monotonic ns */
	uint64_t target;       /* TIMEOUT: the completion count that ends it early (0: none) */
	unsigned pass;         /* io_ring_run_pending's, not to retry one twice in a pass */
	struct io_req *linked; /* the next of its chain */
	struct io_req *link_timeout, *guarded; /* a LINK_TIMEOUT and the request it guards */
	struct io_req *next;                   /* on ring->pending */
};

/* A chain being read from the SQ ring. */
struct chain {
	struct io_req *head, *last;
};

static void issue(struct io_req *req);

bool io_ring_op_supported(unsigned opcode)
{
	switch (opcode) {
	case IORING_OP_NOP:
	case IORING_OP_READV:
	case IORING_OP_WRITEV:
	case IORING_OP_FSYNC:
	case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
	case IORING_OP_POLL_ADD:
	case IORING_OP_POLL_REMOVE:
	case IORING_OP_SENDMSG:
	case IORING_OP_RECVMSG:
	case IORING_OP_TIMEOUT:
	case IORING_OP_TIMEOUT_REMOVE:
	case IORING_OP_ACCEPT:
	case IORING_OP_ASYNC_CANCEL:
	case IORING_OP_LINK_TIMEOUT:
	case IORING_OP_CONNECT:
	case IORING_OP_OPENAT:
	case IORING_OP_CLOSE:
	case IORING_OP_STATX:
	case IORING_OP_READ:
	case IORING_OP_WRITE:
	case IORING_OP_SEND:
	case IORING_OP_RECV:
		return true;
	default:
		return false;
	}
}

static bool op_takes_file(unsigned opcode)
{
	switch (opcode) {
	case IORING_OP_NOP:
	case IORING_OP_POLL_REMOVE:
	case IORING_OP_TIMEOUT:
	case IORING_OP_TIMEOUT_REMOVE:
	case IORING_OP_ASYNC_CANCEL:
	case IORING_OP_LINK_TIMEOUT:
	case IORING_OP_OPENAT:
	case IORING_OP_CLOSE:
	case IORING_OP_STATX:
		return false;
	default:
		return true;
	}
}

/* --- the pending list --- */

static void req_notify(struct waiter *w, uint32_t bits)
{
	(void)bits;
	struct io_req *req = (struct io_req *)((char *)w - offsetof(struct io_req, waiter));
	req->ready = true;
	io_ring_work_ready(req->ring);
}

static void req_timer_fire(struct ktimer *t, uint64_t now)
{
	(void)now;
	struct io_req *req = (struct io_req *)((char *)t - offsetof(struct io_req, timer));
	req->timer_fired = req->ready = true;
	io_ring_work_ready(req->ring);
}

/* Puts req on the pending list, watching its file for events (0: none)
 * and its deadline (0: none). The events may have come during the attempt
 * itself (a loopback connect): then it is ready at once. */
static void pending_add(struct io_req *req, unsigned events)
{
	struct wait_queue *q = NULL;
	if (events && req->file) {
		events |= POLL_ALWAYS_REPORTED;
		if (file_poll(req->file, &q) & events) {
			req->ready = true;
			io_ring_work_ready(req->ring);
		}
	}
	if (q) {
		req->waiter = (struct waiter){.notify = req_notify, .bitset = events};
		wait_add(q, &req->waiter, NULL);
	}
	if (req->deadline) {
		req->timer = (struct ktimer){.fire = req_timer_fire};
		ktimer_arm(&req->timer, req->deadline);
	}
	req->next = req->ring->pending;
	req->ring->pending = req;
}

static void pending_remove(struct io_req *req)
{
	for (struct io_req **link = &req->ring->pending; *link; link = &(*link)->next)
		if (*link == req) {
			*link = req->next;
			break;
		}
	wait_remove(&req->waiter);
	ktimer_cancel(&req->timer);
}

static void req_free(struct io_req *req)
{
	if (req->file)
		file_put(req->file);
	addrspace_put(req->as);
	kfree(req);
}

static void post(struct io_req *req, long res)
{
	if (!(res >= 0 && (req->sqe.flags & IOSQE_CQE_SKIP_SUCCESS)))
		io_ring_post(req->ring, req->sqe.user_data, (int32_t)res);
}

/* The rest of a chain whose request failed: -ECANCELED each. */
static void chain_cancel(struct io_req *req)
{
	while (req) {
		struct io_req *next = req->linked;
		if (req->link_timeout) {
			io_ring_post(req->ring, req->link_timeout->sqe.user_data, -ECANCELED);
			req_free(req->link_timeout);
		}
		io_ring_post(req->ring, req->sqe.user_data, -ECANCELED);
		req_free(req);
		req = next;
	}
}

/* TIMEOUTs whose count of completions has come end with 0. */
static void timeouts_by_count(struct io_ring *r)
{
	for (struct io_req *req = r->pending; req; req = req->next)
		if (req->sqe.opcode == IORING_OP_TIMEOUT && req->target && r->completions >= req->target) {
			pending_remove(req);
			post(req, 0);
			req_free(req);
			timeouts_by_count(r);
			return;
		}
}

/* req ended with res: its CQE, then its chain goes on or is cancelled. */
static void req_done(struct io_req *req, long res)
{
	struct io_ring *r = req->ring;
	if (req->link_timeout) {
		pending_remove(req->link_timeout);
		post(req->link_timeout, -ECANCELED);
		req_free(req->link_timeout);
	}
	post(req, res);
	bool failed = res < 0 || (req->expected && res != req->expected);
	struct io_req *next = req->linked;
	bool hard = req->sqe.flags & IOSQE_IO_HARDLINK;
	req_free(req);
	if (next) {
		if (failed && !hard)
			chain_cancel(next);
		else
			issue(next);
	}
	timeouts_by_count(r);
}

/* --- the operations: each returns the result, or REQ_WAITS --- */

static long op_rw(struct io_req *req, bool write, bool fixed, bool vectored)
{
	const struct io_uring_sqe *s = &req->sqe;
	struct file *f = req->file;
	void *buf = (void *)(uintptr_t)s->addr;
	if (fixed) {
		const struct io_ring *r = req->ring;
		if (s->buf_index >= r->nr_buffers)
			return -EFAULT;
		const struct iovec *b = &r->buffers[s->buf_index];
		uintptr_t start = (uintptr_t)b->iov_base;
		if (s->addr < start || s->addr + s->len < s->addr || s->addr + s->len > start + b->iov_len)
			return -EFAULT;
	}
	if (vectored && s->len > IOV_COUNT_MAX)
		return -EINVAL;
	uint64_t at = s->off;
	bool current_pos = s->off == (uint64_t)-1 || !f->ops->seekable;
	if (!current_pos && (int64_t)s->off < 0)
		return -EINVAL;
	uint64_t *pos = current_pos ? &f->pos : &at;
	long res = vectored ? file_vectored_at(f, buf, (int)s->len, pos, write)
	           : write  ? file_write_at(f, buf, s->len, pos)
	                    : file_read_at(f, buf, s->len, pos);
	if (res == -EAGAIN && !req->file_nonblock)
		return REQ_WAITS;
	return res;
}

static long op_poll_add(struct io_req *req)
{
	if (req->sqe.len)
		return -EINVAL; /* multishot and updates: not here */
	unsigned events = req->sqe.poll32_events | POLL_ALWAYS_REPORTED;
	unsigned mask = file_poll(req->file, NULL) & events;
	return mask ? (long)mask : REQ_WAITS;
}

static struct socket *req_socket(struct io_req *req) { return socket_from_file(req->file); }

static long op_socket(struct io_req *req)
{
	const struct io_uring_sqe *s = &req->sqe;
	struct socket *sock = req_socket(req);
	if (!sock)
		return -ENOTSOCK;
	void *addr = (void *)(uintptr_t)s->addr;
	long res;
	switch (s->opcode) {
	case IORING_OP_ACCEPT:
		if (s->ioprio || s->file_index)
			return -EINVAL; /* multishot, direct descriptors: not here */
		res = socket_accept_user(sock, addr, (socklen_t *)(uintptr_t)s->addr2, (int)s->accept_flags);
		break;
	case IORING_OP_CONNECT:
		if (req->connecting) {
			if (!(file_poll(req->file, NULL) & (EPOLLOUT | POLL_ALWAYS_REPORTED)))
				return REQ_WAITS;
			res = -sock->error;
			sock->error = 0;
			return res;
		}
		res = socket_connect_user(sock, addr, (int)s->off);
		if (res == -EINPROGRESS) {
			req->connecting = true;
			return REQ_WAITS;
		}
		break;
	case IORING_OP_SEND:
		res = socket_sendto_user(sock, addr, s->len, s->msg_flags, NULL, 0);
		break;
	case IORING_OP_RECV:
		res = socket_recvfrom_user(sock, addr, s->len, s->msg_flags, NULL, NULL);
		break;
	case IORING_OP_SENDMSG:
		res = socket_sendmsg_user(sock, addr, s->msg_flags);
		break;
	default: /* IORING_OP_RECVMSG */
		res = socket_recvmsg_user(sock, addr, s->msg_flags);
		break;
	}
	return res == -EAGAIN ? REQ_WAITS : res;
}

/* POLL_REMOVE, TIMEOUT_REMOVE and ASYNC_CANCEL: the pending request with
 * the user_data in addr (of the opcode, when only one may be meant) ends
 * with -ECANCELED. */
static long op_cancel(struct io_req *req, int only_opcode)
{
	for (struct io_req *p = req->ring->pending; p; p = p->next)
		if (p->sqe.user_data == req->sqe.addr && p->sqe.opcode != IORING_OP_LINK_TIMEOUT &&
		    (only_opcode < 0 || p->sqe.opcode == only_opcode)) {
			pending_remove(p);
			req_done(p, -ECANCELED);
			return 0;
		}
	return -ENOENT;
}

static long op_close(struct io_req *req)
{
	if (req->sqe.file_index || (req->sqe.flags & IOSQE_FIXED_FILE))
		return -EINVAL; /* direct descriptors: not here */
	struct file *f = current_file(req->sqe.fd);
	if (f && io_ring_of(f))
		return -EBADF; /* Linux will not close a ring from a ring */
	return sys_close(req->sqe.fd);
}

static long run_op(struct io_req *req)
{
	const struct io_uring_sqe *s = &req->sqe;
	switch (s->opcode) {
	case IORING_OP_NOP:
		return 0;
	case IORING_OP_READ:
	case IORING_OP_WRITE:
	case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
		return op_rw(req, s->opcode == IORING_OP_WRITE || s->opcode == IORING_OP_WRITE_FIXED,
		             s->opcode == IORING_OP_READ_FIXED || s->opcode == IORING_OP_WRITE_FIXED, false);
	case IORING_OP_READV:
	case IORING_OP_WRITEV:
		return op_rw(req, s->opcode == IORING_OP_WRITEV, false, true);
	case IORING_OP_FSYNC:
		if (s->fsync_flags & ~IORING_FSYNC_DATASYNC)
			return -EINVAL;
		return file_sync(req->file, s->fsync_flags & IORING_FSYNC_DATASYNC);
	case IORING_OP_POLL_ADD:
		return op_poll_add(req);
	case IORING_OP_POLL_REMOVE:
		return s->len ? -EINVAL : op_cancel(req, IORING_OP_POLL_ADD);
	case IORING_OP_TIMEOUT_REMOVE:
		return s->timeout_flags ? -EINVAL : op_cancel(req, IORING_OP_TIMEOUT);
	case IORING_OP_ASYNC_CANCEL:
		return s->cancel_flags ? -EINVAL : op_cancel(req, -1);
	case IORING_OP_ACCEPT:
	case IORING_OP_CONNECT:
	case IORING_OP_SEND:
	case IORING_OP_RECV:
	case IORING_OP_SENDMSG:
	case IORING_OP_RECVMSG:
		return op_socket(req);
	case IORING_OP_OPENAT:
		if (s->file_index || (s->flags & IOSQE_FIXED_FILE))
			return -EINVAL;
		return sys_openat(s->fd, (const char *)(uintptr_t)s->addr, (int)s->open_flags, s->len);
	case IORING_OP_CLOSE:
		return op_close(req);
	case IORING_OP_STATX:
		if (s->flags & IOSQE_FIXED_FILE)
			return -EINVAL;
		return sys_statx(s->fd, (const char *)(uintptr_t)s->addr, (int)s->statx_flags, s->len,
		                 (struct statx *)(uintptr_t)s->addr2);
	default:
		return -EINVAL;
	}
}

/* One try, the file non-blocking for it. */
static long attempt(struct io_req *req)
{
	struct file *f = req->file;
	if (!f)
		return run_op(req);
	unsigned saved = f->flags & O_NONBLOCK;
	f->flags |= O_NONBLOCK;
	long res = run_op(req);
	f->flags = (f->flags & ~O_NONBLOCK) | saved;
	return res;
}

/* The readiness a waiting request waits for. */
static unsigned wait_events(const struct io_req *req)
{
	switch (req->sqe.opcode) {
	case IORING_OP_POLL_ADD:
		return req->sqe.poll32_events;
	case IORING_OP_WRITE:
	case IORING_OP_WRITEV:
	case IORING_OP_WRITE_FIXED:
	case IORING_OP_SEND:
	case IORING_OP_SENDMSG:
	case IORING_OP_CONNECT:
		return EPOLLOUT;
	default:
		return EPOLLIN;
	}
}

static void issue(struct io_req *req)
{
	if (!req->file && op_takes_file(req->sqe.opcode)) {
		req_done(req, -EBADF);
		return;
	}
	if (req->sqe.opcode == IORING_OP_TIMEOUT) {
		pending_add(req, 0);
		return;
	}
	long res = attempt(req);
	if (res != REQ_WAITS) {
		req_done(req, res);
		return;
	}
	pending_add(req, wait_events(req));
	if (req->link_timeout)
		pending_add(req->link_timeout, 0);
}

/* A LINK_TIMEOUT fired: the request it guards is cancelled. */
static void link_timeout_fired(struct io_req *lt)
{
	struct io_req *guarded = lt->guarded;
	guarded->link_timeout = NULL;
	pending_remove(guarded);
	req_done(guarded, -ECANCELED);
	post(lt, -ETIME);
	req_free(lt);
}

/* Whether req, pending, ended now (and was completed). Only its submitter
 * goes on with it: its addresses, and those of the requests linked after
 * it, mean something in the submitter's address space only. */
static bool retry(struct io_req *req)
{
	if (!req->ready || req->as != current_process()->as)
		return false;
	switch (req->sqe.opcode) {
	case IORING_OP_TIMEOUT:
		if (!req->timer_fired)
			return false;
		pending_remove(req);
		req_done(req, -ETIME);
		return true;
	case IORING_OP_LINK_TIMEOUT:
		if (!req->timer_fired)
			return false;
		pending_remove(req);
		link_timeout_fired(req);
		return true;
	default:
		req->ready = false;
		long res = attempt(req);
		if (res == REQ_WAITS)
			return false;
		pending_remove(req);
		req_done(req, res);
		return true;
	}
}

/* --- IOSQE_IO_DRAIN --- */

static bool drain_pending(const struct io_ring *r)
{
	for (const struct io_req *req = r->pending; req; req = req->next)
		if (req->sqe.flags & IOSQE_IO_DRAIN)
			return true;
	return false;
}

static bool may_start(const struct io_ring *r, const struct io_req *head)
{
	return (head->sqe.flags & IOSQE_IO_DRAIN) ? !r->pending : !drain_pending(r);
}

/* A chain read whole from the SQ ring: issued, or queued behind a drain. */
static void chain_start(struct io_ring *r, struct io_req *head)
{
	if (!r->drained && may_start(r, head)) {
		issue(head);
		return;
	}
	head->next = NULL;
	if (r->drained)
		r->drained_tail->next = head;
	else
		r->drained = head;
	r->drained_tail = head;
}

/* Issues the queued chains whose turn has come, in their submitter. */
static void drained_run(struct io_ring *r)
{
	while (r->drained && r->drained->as == current_process()->as && may_start(r, r->drained)) {
		struct io_req *head = r->drained;
		r->drained = head->next;
		head->next = NULL;
		issue(head);
	}
}

void io_ring_run_pending(struct io_ring *r)
{
	if (r->running_pending)
		return;
	r->running_pending = true;
	__atomic_and_fetch(&io_ring_header(r)->sq_flags, ~IORING_SQ_TASKRUN, __ATOMIC_RELEASE);
	static unsigned passes;
	unsigned pass = ++passes;
	/* A completion may end others (chains, link timeouts): start over
	 * after each, skipping those tried already. */
	for (struct io_req *req = r->pending; req;) {
		if (req->pass == pass) {
			req = req->next;
			continue;
		}
		req->pass = pass;
		req = retry(req) ? r->pending : req->next;
	}
	drained_run(r);
	r->running_pending = false;
	io_ring_flush(r);
}

/* --- submission --- */

/* Reads the timespec of a TIMEOUT or LINK_TIMEOUT into its deadline. */
static int timeout_prep(struct io_req *req)
{
	const struct io_uring_sqe *s = &req->sqe;
	if (s->len != 1 || (s->timeout_flags & ~(IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME)) ||
	    (s->opcode == IORING_OP_LINK_TIMEOUT && s->off))
		return -EINVAL;
	uint64_t ns;
	int err = timespec_from_user((const struct __kernel_timespec *)(uintptr_t)s->addr, &ns);
	if (err)
		return err;
	req->deadline = (s->timeout_flags & IORING_TIMEOUT_ABS) ? (ns ? ns : 1) : time_monotonic_ns() + ns;
	if (s->opcode == IORING_OP_TIMEOUT && s->off)
		req->target = req->ring->completions + s->off;
	return 0;
}

static int prep(struct io_req *req)
{
	const struct io_uring_sqe *s = &req->sqe;
	if (!io_ring_op_supported(s->opcode) || (s->flags & ~SQE_FLAGS_KNOWN))
		return -EINVAL;
	if (s->opcode == IORING_OP_TIMEOUT || s->opcode == IORING_OP_LINK_TIMEOUT)
		return timeout_prep(req);
	if (!op_takes_file(s->opcode))
		return 0;
	struct file *f = (s->flags & IOSQE_FIXED_FILE) ? io_ring_fixed_file(req->ring, s->fd) : current_file(s->fd);
	if (!f)
		return 0; /* issue's -EBADF: Linux looks the file up then, and submission goes on */
	file_get(f);
	req->file = f;
	req->file_nonblock = f->flags & O_NONBLOCK;
	if (s->opcode == IORING_OP_READ || s->opcode == IORING_OP_WRITE || s->opcode == IORING_OP_READ_FIXED ||
	    s->opcode == IORING_OP_WRITE_FIXED)
		req->expected = s->len;
	return 0;
}

/* One SQE: prepared, then added to the chain being read, which is issued
 * when its last request comes. A failure cancels the chain. */
static int submit_one(struct io_ring *r, const struct io_uring_sqe *sqe, struct chain *chain)
{
	struct io_req *req = kzalloc(sizeof *req);
	if (!req)
		return -ENOMEM;
	*req = (struct io_req){.ring = r, .sqe = *sqe, .as = addrspace_get(current_process()->as)};
	int err = prep(req);
	if (!err && sqe->opcode == IORING_OP_LINK_TIMEOUT && (!chain->last || chain->last->link_timeout))
		err = -EINVAL; /* it guards the request linked before it */
	if (err) {
		chain_cancel(chain->head);
		*chain = (struct chain){0};
		post(req, err);
		req_free(req);
		return err;
	}
	if (sqe->opcode == IORING_OP_LINK_TIMEOUT) {
		chain->last->link_timeout = req;
		req->guarded = chain->last;
	} else if (chain->last) {
		chain->last->linked = req;
		chain->last = req;
	} else {
		chain->head = chain->last = req;
	}
	if (!(sqe->flags & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK))) {
		struct io_req *head = chain->head;
		*chain = (struct chain){0};
		chain_start(r, head);
	}
	return 0;
}

long io_ring_submit(struct io_ring *r, unsigned to_submit)
{
	struct io_rings_header *h = io_ring_header(r);
	unsigned available = __atomic_load_n(&h->sq_tail, __ATOMIC_ACQUIRE) - r->sq_head;
	if (available > r->sq_entries)
		available = r->sq_entries;
	unsigned count = to_submit < available ? to_submit : available;
	struct chain chain = {0};
	unsigned done = 0;
	while (done < count) {
		uint32_t index = *(uint32_t *)io_ring_at(r, r->sq_array_at + (r->sq_head & (r->sq_entries - 1)) * 4);
		r->sq_head++;
		done++;
		__atomic_store_n(&h->sq_head, r->sq_head, __ATOMIC_RELEASE);
		if (index >= r->sq_entries) {
			h->sq_dropped++;
			continue;
		}
		struct io_uring_sqe sqe = *(struct io_uring_sqe *)io_ring_at(r, r->rings_len + index * sizeof sqe);
		int err = submit_one(r, &sqe, &chain);
		if (err == -ENOMEM && done == 1)
			return -EAGAIN;
		if (err && !(r->flags & IORING_SETUP_SUBMIT_ALL))
			break;
	}
	if (chain.head) /* the last SQE asked for a link: the chain goes as it is */
		chain_start(r, chain.head);
	drained_run(r);
	io_ring_flush(r);
	return done;
}

/* Frees the requests linked after req (not yet issued) and their link
 * timeouts, posting nothing. */
static void links_free(struct io_req *req)
{
	for (struct io_req *link = req->linked; link;) {
		struct io_req *next = link->linked;
		if (link->link_timeout)
			req_free(link->link_timeout);
		req_free(link);
		link = next;
	}
}

/* The ring's last close: every pending or queued request ends, nothing is
 * posted. */
static void cancel_all(struct io_ring *r)
{
	while (r->pending) {
		struct io_req *req = r->pending;
		pending_remove(req);
		if (req->guarded)
			req->guarded->link_timeout = NULL;
		links_free(req);
		if (req->link_timeout) {
			pending_remove(req->link_timeout);
			req_free(req->link_timeout);
		}
		req_free(req);
	}
	while (r->drained) {
		struct io_req *head = r->drained;
		r->drained = head->next;
		links_free(head);
		if (head->link_timeout)
			req_free(head->link_timeout);
		req_free(head);
	}
}

static bool any_ready(const struct io_ring *r)
{
	for (const struct io_req *req = r->pending; req; req = req->next)
		if (req->ready)
			return true;
	return false;
}

const struct io_ring_requests io_ring_requests = {
    .run_pending = io_ring_run_pending, .any_ready = any_ready, .cancel_all = cancel_all};
