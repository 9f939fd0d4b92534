/* splice, tee and vmsplice: Linux's checks, in Linux's order, on the
 * descriptors, modes, offsets and flags; kernel/fs/splice.c moves the data. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/splice.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "syscalls/file_offset.h"
#include "syscalls/fs_common.h"
#include "syscalls/iovec.h"

/* <fcntl.h>'s flags, which no uapi header has. MOVE, MORE and GIFT are
 * hints that copying through the kernel has no use for. */
#define SPLICE_F_NONBLOCK 0x02
#define SPLICE_F_ALL 0x0f /* MOVE, NONBLOCK, MORE, GIFT */

static bool opened_to_read(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH); }
static bool opened_to_write(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH); }

/* The files Linux splices a pipe to or from (those with splice_read or
 * splice_write): regular files (/proc's and memfds too), devices and
 * sockets; not directories, nor eventfds, epoll sets and the like. */
static bool spliceable(const struct file *f, bool write)
{
	uint32_t type = f->inode->mode & S_IFMT;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFSOCK)
		return false;
	return write ? f->ops->write != NULL : f->ops->read != NULL;
}

/* The checks both directions between a pipe and another file make on that
 * file: an offset only where it can seek, O_APPEND never as a target. */
static long other_file_ok(const struct file *f, const long *user_off, bool write)
{
	if (user_off && !f->ops->seekable)
		return -EINVAL;
	if (write && (f->flags & O_APPEND))
		return -EINVAL;
	return spliceable(f, write) ? 0 : -EINVAL;
}

static long splice_files(struct file *in, long *off_in, struct file *out, long *off_out, size_t len, bool nonblock)
{
	struct pipe *in_pipe = pipe_of(in), *out_pipe = pipe_of(out);
	if ((in_pipe && off_in) || (out_pipe && off_out))
		return -ESPIPE;
	if (!opened_to_read(in) || !opened_to_write(out))
		return -EBADF;
	if (in_pipe && out_pipe) {
		if (in_pipe == out_pipe)
			return -EINVAL;
		return splice_pipe_to_pipe(in_pipe, out_pipe, len, nonblock || ((in->flags | out->flags) & O_NONBLOCK));
	}
	if (!in_pipe && !out_pipe)
		return -EINVAL;
	/* Between a pipe and another file, whose position moves unless an
	 * offset is given (then the offset moves instead). */
	struct file *other = in_pipe ? out : in;
	long *user_off = in_pipe ? off_out : off_in;
	long err = other_file_ok(other, user_off, in_pipe != NULL);
	uint64_t pos;
	if (!err)
		err = position_from_user(user_off, other, &pos);
	if (err)
		return err;
	long n;
	if (in_pipe)
		n = splice_pipe_to_file(in_pipe, out, &pos, len, nonblock || (in->flags & O_NONBLOCK));
	else
		n = splice_file_to_pipe(in, &pos, out_pipe, len, nonblock || (out->flags & O_NONBLOCK));
	if (n < 0)
		return n;
	err = position_to_user(user_off, other, pos);
	return err ? err : n;
}

long sys_splice(int fd_in, long *off_in, int fd_out, long *off_out, size_t len, unsigned flags)
{
	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *in = current_file(fd_in), *out = current_file(fd_out);
	if (!in || !out)
		return -EBADF;
	/* Held while the move blocks, in case another thread closes them. */
	file_get(in);
	file_get(out);
	long n = splice_files(in, off_in, out, off_out, len < RW_MAX ? len : RW_MAX, flags & SPLICE_F_NONBLOCK);
	file_put(out);
	file_put(in);
	return n;
}

long sys_tee(int fd_in, int fd_out, size_t len, unsigned flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	struct file *in = current_file(fd_in), *out = current_file(fd_out);
	if (!in || !out)
		return -EBADF;
	if (!opened_to_read(in) || !opened_to_write(out))
		return -EBADF;
	struct pipe *in_pipe = pipe_of(in), *out_pipe = pipe_of(out);
	if (!in_pipe || !out_pipe || in_pipe == out_pipe)
		return -EINVAL;
	bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
	file_get(in);
	file_get(out);
	long n = splice_tee(in_pipe, out_pipe, len, nonblock);
	file_put(out);
	file_put(in);
	return n;
}

/* The write end (or an O_RDWR FIFO) takes the app's memory in; the read
 * end gives its data out. Only SPLICE_F_NONBLOCK keeps it from blocking:
 * Linux's vmsplice ignores the file's O_NONBLOCK. */
long sys_vmsplice(int fd, const struct iovec *user_iov, unsigned long nr_segs, unsigned flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *f = current_file(fd);
	if (!f || !(opened_to_read(f) || opened_to_write(f)))
		return -EBADF;
	if (nr_segs > IOV_COUNT_MAX)
		return -EINVAL;
	struct iovec *iov;
	long total = iovec_from_user(user_iov, nr_segs, &iov);
	if (total > 0 && !pipe_of(f))
		total = -EBADF;
	if (total <= 0) {
		kfree(iov);
		return total;
	}
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	file_get(f);
	long n = opened_to_write(f) ? vmsplice_to_pipe(pipe_of(f), iov, nr_segs, nonblock)
	                            : vmsplice_from_pipe(pipe_of(f), iov, nr_segs, nonblock);
	file_put(f);
	kfree(iov);
	return n;
}
