/* splice, tee and vmsplice, see splice.h. Data is copied through the
 * kernel (Linux lends pages instead; nothing the app sees differs but
 * that a vmsplice'd buffer may be reused at once, SPLICE_F_GIFT or not). */
#include "kernel/fs/splice.h"

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/mm/heap.h"

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Waits until in has data and out has room at the same time. */
static long wait_between_pipes(struct pipe *in, struct pipe *out, bool nonblock)
{
	long err;
	do {
		err = pipe_wait(in, PIPE_NEED_DATA, nonblock);
		if (!err)
			err = pipe_wait(out, PIPE_NEED_ROOM, nonblock);
		/* Waiting for room may have let another reader empty in. */
		if (!err)
			err = pipe_wait(in, PIPE_NEED_DATA, true);
	} while (err == -EAGAIN && !nonblock);
	return err == PIPE_EOF ? 0 : err;
}

static long between_pipes(struct pipe *in, struct pipe *out, size_t len, bool nonblock, bool consume)
{
	long err = wait_between_pipes(in, out, nonblock);
	if (err || !pipe_length(in))
		return err;
	size_t n = min_size(len, min_size(pipe_length(in), pipe_room(out)));
	pipe_copy(in, out, n);
	if (consume)
		pipe_consume(in, n);
	return (long)n;
}

long splice_pipe_to_pipe(struct pipe *in, struct pipe *out, size_t len, bool nonblock)
{
	return between_pipes(in, out, len, nonblock, true);
}

long splice_tee(struct pipe *in, struct pipe *out, size_t len, bool nonblock)
{
	return between_pipes(in, out, len, nonblock, false);
}

long splice_file_to_pipe(struct file *in, uint64_t *pos, struct pipe *out, size_t len, bool nonblock)
{
	long err = pipe_wait(out, PIPE_NEED_ROOM, nonblock);
	if (err)
		return err;
	size_t n = min_size(len, pipe_room(out));
	uint8_t *chunk = kmalloc(n);
	if (!chunk)
		return -ENOMEM;
	pipe_hold(out); /* the read may block (a socket): the room stays ours */
	long got = in->ops->read(in, kernel_buf(chunk), n, pos);
	if (got > 0)
		pipe_put(out, kernel_buf(chunk), (size_t)got);
	pipe_unhold(out);
	kfree(chunk);
	return got;
}

long splice_pipe_to_file(struct pipe *in, struct file *out, uint64_t *pos, size_t len, bool nonblock)
{
	long err = pipe_wait(in, PIPE_NEED_DATA, nonblock);
	if (err)
		return err == PIPE_EOF ? 0 : err;
	size_t n = min_size(len, pipe_length(in));
	uint8_t *chunk = kmalloc(n);
	if (!chunk)
		return -ENOMEM;
	pipe_peek(in, kernel_buf(chunk), n);
	pipe_hold(in); /* the write may block: the data stays first in line */
	long put = out->ops->write(out, kernel_buf(chunk), n, pos);
	if (put > 0)
		pipe_consume(in, (size_t)put);
	pipe_unhold(in);
	kfree(chunk);
	return put;
}

long vmsplice_to_pipe(struct pipe *p, const struct iovec *iov, size_t count, bool nonblock)
{
	long err = pipe_wait(p, PIPE_NEED_ROOM, nonblock);
	if (err)
		return err;
	size_t done = 0;
	for (size_t i = 0; i < count && pipe_room(p); i++) {
		size_t n = min_size(iov[i].iov_len, pipe_room(p));
		if (pipe_put(p, user_buf(iov[i].iov_base), n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

long vmsplice_from_pipe(struct pipe *p, const struct iovec *iov, size_t count, bool nonblock)
{
	long err = pipe_wait(p, PIPE_NEED_DATA, nonblock);
	if (err)
		return err == PIPE_EOF ? 0 : err;
	size_t done = 0;
	for (size_t i = 0; i < count && pipe_length(p); i++) {
		size_t n = min_size(iov[i].iov_len, pipe_length(p));
		if (pipe_peek(p, user_buf(iov[i].iov_base), n))
			return done ? (long)done : -EFAULT;
		pipe_consume(p, n);
		done += n;
	}
	return (long)done;
}
