/* Linux native AIO: io_setup, io_destroy, io_submit, io_cancel,
 * io_getevents and io_pgetevents. The iocbs are checked here as Linux's
 * io_submit_one checks them, then reads, writes and syncs run at once
 * through fs_io.c (their result is the event); contexts, the ring and POLL
 * requests live in kernel/fs/aio.c. */
#include <linux/aio_abi.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/fs/aio.h"
#include "kernel/fs/eventfd.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "syscalls/fs_io.h"
#include "syscalls/iovec.h"
#include "syscalls/wait_args.h"

#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

long sys_io_setup(unsigned nr_events, aio_context_t *ctxp)
{
	aio_context_t old;
	if (copy_from_user(&old, ctxp, sizeof old))
		return -EFAULT;
	if (old || nr_events == 0)
		return -EINVAL;
	long id = aio_setup(nr_events);
	if (id < 0)
		return id;
	aio_context_t ctx = (aio_context_t)id;
	if (copy_to_user(ctxp, &ctx, sizeof ctx)) {
		aio_destroy(aio_find(ctx));
		return -EFAULT;
	}
	return 0;
}

long sys_io_destroy(aio_context_t ctx_id)
{
	struct aio_context *ctx = aio_find(ctx_id);
	if (!ctx)
		return -EINVAL;
	aio_destroy(ctx);
	return 0;
}

/* What Linux's aio_read and aio_write check before the transfer starts:
 * an error here fails the submit instead of becoming the event. */
static long rw_check(struct file *f, const struct iocb *cb, bool write, bool vectored)
{
	if (write ? (f->flags & O_ACCMODE) == O_RDONLY : (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (f->flags & O_PATH)
		return -EBADF;
	if (write ? !f->ops->write : !f->ops->read)
		return -EINVAL;
	if (cb->aio_rw_flags & ~RWF_KNOWN)
		return -EOPNOTSUPP;
	if ((int64_t)cb->aio_offset < 0)
		return -EINVAL;
	void *buf = (void *)(uintptr_t)cb->aio_buf;
	if (!vectored)
		return user_range_ok(buf, cb->aio_nbytes) ? 0 : -EFAULT;
	if (cb->aio_nbytes > IOV_COUNT_MAX)
		return -EINVAL;
	struct iovec *iov;
	long total = iovec_from_user(buf, cb->aio_nbytes, &iov);
	kfree(iov);
	return total < 0 ? total : 0;
}

/* The transfer, whose result is the event's. A file that cannot seek (a
 * pipe) moves at its own position, and with RWF_NOWAIT does not block. */
static long rw_run(struct file *f, const struct iocb *cb, bool write, bool vectored)
{
	void *buf = (void *)(uintptr_t)cb->aio_buf;
	uint64_t pos = cb->aio_offset;
	uint64_t *at = f->ops->seekable ? &pos : &f->pos;
	unsigned saved_flags = f->flags;
	if (cb->aio_rw_flags & RWF_NOWAIT)
		f->flags |= O_NONBLOCK;
	long res;
	if (vectored)
		res = file_vectored_at(f, buf, (int)cb->aio_nbytes, at, write);
	else if (write)
		res = file_write_at(f, buf, cb->aio_nbytes, at);
	else
		res = file_read_at(f, buf, cb->aio_nbytes, at);
	f->flags = (f->flags & ~O_NONBLOCK) | (saved_flags & O_NONBLOCK);
	/* A wait a signal cut short ends the request, as Linux's aio_rw_done. */
	return res == -ERESTARTSYS || res == -ERESTARTNOHAND || res == -ERESTARTNOINTR ? -EINTR : res;
}

/* The work of one iocb on its file f: 0 once its event is in the ring, 1
 * when a POLL took over the references to f and resfd, or the -errno that
 * fails it. */
static long run_op(struct aio_context *ctx, struct file *f, const struct iocb *cb, struct file *resfd,
                   struct iocb *user_cb)
{
	struct io_event ev = {.data = cb->aio_data, .obj = (uint64_t)(uintptr_t)user_cb};
	long res;
	switch (cb->aio_lio_opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PREADV:
	case IOCB_CMD_PWRITEV: {
		bool write = cb->aio_lio_opcode == IOCB_CMD_PWRITE || cb->aio_lio_opcode == IOCB_CMD_PWRITEV;
		bool vectored = cb->aio_lio_opcode == IOCB_CMD_PREADV || cb->aio_lio_opcode == IOCB_CMD_PWRITEV;
		res = rw_check(f, cb, write, vectored);
		if (res)
			return res;
		res = rw_run(f, cb, write, vectored);
		break;
	}
	case IOCB_CMD_FSYNC:
	case IOCB_CMD_FDSYNC:
		if (cb->aio_buf || cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
			return -EINVAL;
		res = file_sync(f, cb->aio_lio_opcode == IOCB_CMD_FDSYNC);
		if (res == -EINVAL)
			return res; /* no fsync for this kind of file: Linux refuses the iocb */
		break;
	case IOCB_CMD_POLL:
		if ((cb->aio_buf >> 32) || cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
			return -EINVAL;
		res = aio_poll_start(ctx, f, (unsigned)cb->aio_buf, &ev, resfd);
		return res ? res : 1;
	default:
		return -EINVAL;
	}
	ev.res = res;
	aio_complete(ctx, &ev, resfd);
	return 0;
}

/* Runs one iocb whose place in the ring is reserved: 0 once its event is
 * (or, for a POLL, will be) in the ring, or the -errno that fails it. */
static long submit_one(struct aio_context *ctx, struct iocb *user_cb, const struct iocb *cb)
{
	struct file *f = current_file((int)cb->aio_fildes);
	if (!f)
		return -EBADF;
	struct file *resfd = NULL;
	if (cb->aio_flags & IOCB_FLAG_RESFD) {
		resfd = current_file((int)cb->aio_resfd);
		if (!resfd)
			return -EBADF;
		if (!file_is_eventfd(resfd))
			return -EINVAL;
	}
	uint32_t key = 0; /* Linux's KIOCB_KEY, which io_cancel checks */
	if (copy_to_user(&user_cb->aio_key, &key, sizeof key))
		return -EFAULT;
	/* Held until the event is in: a read from a pipe may block, and
	 * another thread close either descriptor meanwhile. */
	file_get(f);
	if (resfd)
		file_get(resfd);
	long res = run_op(ctx, f, cb, resfd, user_cb);
	if (res != 1) { /* not taken over by a waiting POLL */
		file_put(f);
		if (resfd)
			file_put(resfd);
	}
	return res == 1 ? 0 : res;
}

long sys_io_submit(aio_context_t ctx_id, long nr, struct iocb **iocbpp)
{
	if (nr < 0)
		return -EINVAL;
	struct aio_context *ctx = aio_find(ctx_id);
	if (!ctx)
		return -EINVAL;
	long done = 0;
	for (; done < nr; done++) {
		struct iocb *user_cb;
		struct iocb cb;
		long err = 0;
		if (copy_from_user(&user_cb, &iocbpp[done], sizeof user_cb) || copy_from_user(&cb, user_cb, sizeof cb))
			err = -EFAULT;
		else if (cb.aio_reserved2 || (int64_t)cb.aio_nbytes < 0)
			err = -EINVAL;
		else if (!(err = aio_reserve(ctx))) {
			err = submit_one(ctx, user_cb, &cb);
			if (err)
				aio_unreserve(ctx);
		}
		if (err)
			return done ? done : err;
	}
	return done;
}

long sys_io_cancel(aio_context_t ctx_id, struct iocb *iocb, struct io_event *result)
{
	(void)result; /* Linux no longer fills it: the event goes to the ring */
	uint32_t key;
	if (copy_from_user(&key, &iocb->aio_key, sizeof key))
		return -EFAULT;
	if (key != 0)
		return -EINVAL;
	struct aio_context *ctx = aio_find(ctx_id);
	if (!ctx)
		return -EINVAL;
	return aio_cancel(ctx, (uint64_t)(uintptr_t)iocb);
}

static long getevents(aio_context_t ctx_id, long min_nr, long nr, struct io_event *events, uint64_t deadline)
{
	if (min_nr > nr || min_nr < 0 || nr < 0)
		return -EINVAL;
	struct aio_context *ctx = aio_find(ctx_id);
	if (!ctx)
		return -EINVAL;
	return aio_getevents(ctx, min_nr, nr, events, deadline);
}

long sys_io_getevents(aio_context_t ctx_id, long min_nr, long nr, struct io_event *events,
                      struct __kernel_timespec *timeout)
{
	uint64_t deadline;
	int bad = deadline_from_user_timespec(timeout, &deadline);
	if (bad)
		return bad;
	return getevents(ctx_id, min_nr, nr, events, deadline);
}

/* struct __aio_sigset: the mask io_pgetevents waits with, as ppoll's. */
struct aio_sigset {
	const uint64_t *sigmask;
	size_t sigsetsize;
};

long sys_io_pgetevents(aio_context_t ctx_id, long min_nr, long nr, struct io_event *events,
                       struct __kernel_timespec *timeout, const struct aio_sigset *usig)
{
	uint64_t deadline;
	int bad = deadline_from_user_timespec(timeout, &deadline);
	if (bad)
		return bad;
	struct aio_sigset sig = {0};
	if (usig && copy_from_user(&sig, usig, sizeof sig))
		return -EFAULT;
	long err = wait_sigmask_install(sig.sigmask, sig.sigsetsize);
	if (err)
		return err;
	long ret = getevents(ctx_id, min_nr, nr, events, deadline);
	/* With a mask, a signal restarts the call when no handler runs, as
	 * ppoll's; io_getevents itself always gives EINTR. */
	return ret == -EINTR ? -ERESTARTNOHAND : ret;
}
