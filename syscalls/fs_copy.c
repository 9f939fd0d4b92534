/* Copies between files inside the kernel: sendfile and copy_file_range. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "syscalls/file_offset.h"
#include "syscalls/fs_common.h"

#define CHUNK (64 * 1024)

static bool can_read(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY && f->ops->read; }
static bool can_write(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY && f->ops->write; }

/* Moves up to count bytes; a short write puts the unsent rest back. */
static long transfer(struct file *in, uint64_t *in_pos, struct file *out, uint64_t *out_pos, size_t count)
{
	uint8_t *chunk = kmalloc(CHUNK);
	if (!chunk)
		return -ENOMEM;
	size_t done = 0;
	long result = 0;
	while (done < count) {
		size_t want = count - done < CHUNK ? count - done : CHUNK;
		long got = in->ops->read(in, kernel_buf(chunk), want, in_pos);
		if (got <= 0) {
			result = got;
			break;
		}
		long put = out->ops->write(out, kernel_buf(chunk), (size_t)got, out_pos);
		if (put < 0) {
			*in_pos -= (uint64_t)got;
			result = put;
			break;
		}
		done += (size_t)put;
		if (put < got) {
			*in_pos -= (uint64_t)(got - put);
			break;
		}
	}
	kfree(chunk);
	return done ? (long)done : result;
}

long sys_sendfile(int out_fd, int in_fd, long *offset, size_t count)
{
	struct file *in = current_file(in_fd), *out = current_file(out_fd);
	if (!in || !out || !can_read(in) || !can_write(out))
		return -EBADF;
	if (!S_ISREG(in->inode->mode) || (out->flags & O_APPEND))
		return -EINVAL;
	uint64_t in_pos;
	int err = position_from_user(offset, in, &in_pos);
	if (err)
		return err;
	long n = transfer(in, &in_pos, out, &out->pos, count);
	err = position_to_user(offset, in, in_pos);
	return err ? err : n;
}

long sys_copy_file_range(int fd_in, long *off_in, int fd_out, long *off_out, size_t len, unsigned flags)
{
	struct file *in = current_file(fd_in), *out = current_file(fd_out);
	if (flags)
		return -EINVAL;
	if (!in || !out || !can_read(in) || !can_write(out) || (out->flags & O_APPEND))
		return -EBADF;
	if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		return -EINVAL;
	uint64_t in_pos, out_pos;
	int err = position_from_user(off_in, in, &in_pos);
	if (!err)
		err = position_from_user(off_out, out, &out_pos);
	if (err)
		return err;
	if (in->inode == out->inode && in_pos < out_pos + len && out_pos < in_pos + len)
		return -EINVAL; /* overlapping ranges of one file */
	long n = transfer(in, &in_pos, out, &out_pos, len);
	err = position_to_user(off_in, in, in_pos);
	if (!err)
		err = position_to_user(off_out, out, out_pos);
	return err ? err : n;
}
