/* File data and descriptor syscalls: read/write and their vectored and
 * positioned forms, lseek, dup*, fcntl, ioctl, getdents64, ftruncate. */
#include <asm/ioctls.h>
#include <linux/fcntl.h>
#include <linux/fadvise.h>
#include <linux/close_range.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdint.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/async_signal.h"
#include "kernel/fs/dnotify.h"
#include "kernel/fs/lease.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/seals.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/net/socket_core.h"
#include "syscalls/fs_common.h"
#include "syscalls/fs_io.h"
#include "syscalls/fs_lock.h"
#include "syscalls/iovec.h"

#define IOV_MAX_COUNT 1024

static bool readable(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY && !(f->flags & O_PATH); }
static bool writable(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY && !(f->flags & O_PATH); }

long file_read_at(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	if (!readable(f))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	if (len > RW_MAX)
		len = RW_MAX;
	if (!user_range_ok(buf, len))
		return -EFAULT;
	return f->ops->read(f, user_buf(buf), len, pos);
}

long file_write_at(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	if (!writable(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if (len > RW_MAX)
		len = RW_MAX;
	if (!user_range_ok(buf, len))
		return -EFAULT;
	return f->ops->write(f, user_buf(buf), len, pos);
}

/* A read or write may block (pipes): the file is held meanwhile, in case
 * another thread closes its descriptor. */
long sys_read(int fd, void *buf, size_t count)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	file_get(f);
	long ret = file_read_at(f, buf, count, &f->pos);
	file_put(f);
	return ret;
}

long sys_write(int fd, const void *buf, size_t count)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	file_get(f);
	long ret = file_write_at(f, buf, count, &f->pos);
	file_put(f);
	return ret;
}

static long positioned(int fd, long offset, struct file **out)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (!f->ops->seekable)
		return -ESPIPE;
	if (offset < 0)
		return -EINVAL;
	*out = f;
	return 0;
}

long sys_pread64(int fd, void *buf, size_t count, long offset)
{
	struct file *f;
	long err = positioned(fd, offset, &f);
	uint64_t pos = (uint64_t)offset;
	return err ? err : file_read_at(f, buf, count, &pos);
}

long sys_pwrite64(int fd, const void *buf, size_t count, long offset)
{
	struct file *f;
	long err = positioned(fd, offset, &f);
	uint64_t pos = (uint64_t)offset;
	/* Linux appends anyway when the file is O_APPEND. */
	return err ? err : file_write_at(f, buf, count, &pos);
}

typedef long (*transfer_fn)(struct file *f, void *buf, size_t len, uint64_t *pos);

static long read_transfer(struct file *f, void *buf, size_t len, uint64_t *pos) { return file_read_at(f, buf, len, pos); }
static long write_transfer(struct file *f, void *buf, size_t len, uint64_t *pos) { return file_write_at(f, buf, len, pos); }

/* A socket takes the whole vector as one message: one datagram per
 * writev. Nothing at all to move is done at once, as Linux's vfs_writev
 * does (no empty datagram). */
static long socket_vectored(struct file *f, const struct iovec *user_iov, int iovcnt, bool write)
{
	if (write ? !writable(f) : !readable(f))
		return -EBADF;
	struct iovec *iov;
	long total = iovec_from_user(user_iov, (size_t)iovcnt, &iov);
	if (total <= 0) {
		kfree(iov);
		return total;
	}
	file_get(f);
	long n = socket_transfer(socket_from_file(f), iov, (unsigned)iovcnt, true, write);
	file_put(f);
	kfree(iov);
	return n;
}

long file_vectored_at(struct file *f, const struct iovec *user_iov, int iovcnt, uint64_t *pos, bool write)
{
	if (socket_from_file(f))
		return socket_vectored(f, user_iov, iovcnt, write);
	transfer_fn transfer = write ? write_transfer : read_transfer;
	long total = 0;
	file_get(f);
	for (int i = 0; i < iovcnt; i++) {
		struct iovec v;
		if (copy_from_user(&v, &user_iov[i], sizeof v)) {
			total = total ? total : -EFAULT;
			break;
		}
		if ((long)v.iov_len < 0) {
			total = -EINVAL;
			break;
		}
		if (v.iov_len == 0)
			continue;
		long n = transfer(f, v.iov_base, v.iov_len, pos);
		if (n < 0) {
			total = total ? total : n;
			break;
		}
		total += n;
		if ((size_t)n < v.iov_len)
			break;
	}
	file_put(f);
	return total;
}

/* readv/writev, and with offset >= 0 their positioned forms (preadv...),
 * which leave the file position alone. */
static long vectored(int fd, const struct iovec *user_iov, int iovcnt, long offset, bool write)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > IOV_MAX_COUNT)
		return -EINVAL;
	uint64_t position = (uint64_t)offset;
	uint64_t *pos = &f->pos;
	if (offset >= 0) {
		if (!f->ops->seekable)
			return -ESPIPE;
		pos = &position;
	}
	return file_vectored_at(f, user_iov, iovcnt, pos, write);
}

long sys_readv(int fd, const struct iovec *iov, int iovcnt) { return vectored(fd, iov, iovcnt, -1, false); }
long sys_writev(int fd, const struct iovec *iov, int iovcnt) { return vectored(fd, iov, iovcnt, -1, true); }

/* The offset comes split in two registers (pos_l, pos_h) on every ABI; on
 * x86_64 pos_l holds it whole. -1 in the v2 forms means the file position. */
static long positioned_vectored(int fd, const struct iovec *iov, int iovcnt, long offset, int flags, bool v2,
                                bool write)
{
	if (flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	if (offset < 0 && !(v2 && offset == -1))
		return -EINVAL;
	return vectored(fd, iov, iovcnt, offset, write);
}

long sys_preadv(int fd, const struct iovec *iov, int iovcnt, long pos_l, long pos_h)
{
	(void)pos_h;
	return positioned_vectored(fd, iov, iovcnt, pos_l, 0, false, false);
}
long sys_pwritev(int fd, const struct iovec *iov, int iovcnt, long pos_l, long pos_h)
{
	(void)pos_h;
	return positioned_vectored(fd, iov, iovcnt, pos_l, 0, false, true);
}
long sys_preadv2(int fd, const struct iovec *iov, int iovcnt, long pos_l, long pos_h, int flags)
{
	(void)pos_h;
	return positioned_vectored(fd, iov, iovcnt, pos_l, flags, true, false);
}
long sys_pwritev2(int fd, const struct iovec *iov, int iovcnt, long pos_l, long pos_h, int flags)
{
	(void)pos_h;
	return positioned_vectored(fd, iov, iovcnt, pos_l, flags, true, true);
}

long sys_lseek(int fd, long offset, unsigned whence)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	const struct chardev *dev = f->inode && S_ISCHR(f->inode->mode) ? f->inode->dev : NULL;
	if (dev && dev->seek != CHARDEV_NO_SEEK && whence <= SEEK_HOLE) {
		if (dev->seek == CHARDEV_SEEK_TO_ZERO)
			f->pos = 0;
		return (long)f->pos;
	}
	if (!f->ops->seekable)
		return -ESPIPE;
	long base;
	long size = (long)f->inode->size;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (long)f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA: /* no holes are reported: data runs to the end */
		if (offset >= size)
			return -ENXIO;
		base = 0;
		break;
	case SEEK_HOLE:
		if (offset >= size)
			return -ENXIO;
		offset = size;
		base = 0;
		break;
	default:
		return -EINVAL;
	}
	long pos = base + offset;
	if (pos < 0 || (offset > 0 && pos < base))
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

long sys_close(int fd) { return fd_close(current_process()->files, fd); }

long sys_dup(int oldfd)
{
	struct file *f = current_file(oldfd);
	return f ? fd_install(current_process()->files, f, 0, false) : -EBADF;
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL; /* before looking at the fd, as Linux does */
	if (newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	struct file *f = current_file(oldfd);
	if (!f)
		return -EBADF;
	return fd_install_at(current_process()->files, f, newfd, flags & O_CLOEXEC);
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return current_file(oldfd) ? newfd : -EBADF;
	return sys_dup3(oldfd, newfd, 0);
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

/* Linux's f_setown: who gets the file's signals, and the setter's ids,
 * with which the sending checks kill's rule. */
static void set_owner(struct file *f, int type, int pid)
{
	const struct credentials *me = &current_process()->cred;
	f->owner.type = type;
	f->owner.pid = pid;
	f->owner.uid = me->ruid;
	f->owner.euid = me->euid;
}

/* F_SETOWN_EX and F_GETOWN_EX: the owner as F_OWNER_TID, F_OWNER_PID or
 * F_OWNER_PGRP (F_SETOWN's -pgid). */
static long owner_ex(struct file *f, unsigned cmd, struct f_owner_ex *user)
{
	struct f_owner_ex owner;
	if (cmd == F_GETOWN_EX) {
		owner = (struct f_owner_ex){.type = f->owner.type, .pid = f->owner.pid};
		return copy_to_user(user, &owner, sizeof owner) ? -EFAULT : 0;
	}
	if (copy_from_user(&owner, user, sizeof owner))
		return -EFAULT;
	if (owner.type != F_OWNER_TID && owner.type != F_OWNER_PID && owner.type != F_OWNER_PGRP)
		return -EINVAL;
	set_owner(f, owner.type, owner.pid);
	return 0;
}

/* F_SETFL and FIOASYNC: turning FASYNC on or off starts or stops the
 * signals, as Linux's fasync; a failure leaves the flags as they were. */
static long set_flags(struct file *f, int fd, unsigned flags)
{
	if ((flags ^ f->flags) & FASYNC) {
		long err = async_signal_set(f, fd, flags & FASYNC);
		if (err)
			return err;
	}
	f->flags = flags;
	return 0;
}

long sys_fcntl(int fd, unsigned cmd, unsigned long arg)
{
	struct fd_table *table = current_process()->files;
	struct file *f = fd_get(table, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (unsigned long)fd_limit())
			return -EINVAL;
		return fd_install(table, f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return table->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		table->cloexec[fd] = arg & FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return file_status_flags(f);
	case F_SETFL:
		return set_flags(f, fd, (f->flags & ~SETFL_MASK) | ((unsigned)arg & SETFL_MASK));
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return fcntl_record_lock(f, cmd, (void *)arg);
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	case F_ADD_SEALS: /* the descriptor must be open for writing, memfd or not */
		return writable(f) ? seals_add(f->inode, (unsigned)arg) : -EPERM;
	case F_GET_SEALS:
		return seals_get(f->inode);
	case F_SETOWN:
		set_owner(f, (int)arg < 0 ? F_OWNER_PGRP : F_OWNER_PID, (int)arg < 0 ? -(int)arg : (int)arg);
		return 0;
	case F_GETOWN:
		return f->owner.type == F_OWNER_PGRP ? -f->owner.pid : f->owner.pid;
	case F_SETOWN_EX:
	case F_GETOWN_EX:
		return owner_ex(f, cmd, (struct f_owner_ex *)arg);
	case F_SETSIG:
		if (arg > NSIG)
			return -EINVAL;
		f->owner.signal = (int)arg;
		return 0;
	case F_GETSIG:
		return f->owner.signal;
	case F_SETLEASE:
		return lease_set(f, fd, (int)arg);
	case F_GETLEASE:
		return lease_get(f);
	case F_NOTIFY:
		return dnotify_set(f, fd, arg);
	default:
		return -EINVAL;
	}
}

long sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct fd_table *table = current_process()->files;
	struct file *f = fd_get(table, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIONBIO: {
		int on;
		if (copy_from_user(&on, (const void *)arg, sizeof on))
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	}
	case FIOCLEX:
	case FIONCLEX:
		table->cloexec[fd] = cmd == FIOCLEX;
		return 0;
	case FIOASYNC: {
		int on;
		if (copy_from_user(&on, (const void *)arg, sizeof on))
			return -EFAULT;
		return set_flags(f, fd, on ? f->flags | FASYNC : f->flags & ~FASYNC);
	}
	default:
		return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
	}
}

/* Files live in memory: there is nothing to write back. */
/* Only files and folders have anything to write back: pipes, sockets,
 * devices and the anonymous files answer EINVAL, as Linux's lack of an
 * fsync operation for them does. */
long file_sync(struct file *f, bool data_only)
{
	if (!f->inode || !(S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)))
		return -EINVAL;
	return inode_sync(f->inode, data_only);
}
static long sync_fd(int fd, bool data_only)
{
	struct file *f = current_file(fd);
	return f ? file_sync(f, data_only) : -EBADF;
}
long sys_fsync(int fd) { return sync_fd(fd, false); }
long sys_fdatasync(int fd) { return sync_fd(fd, true); }
long sys_syncfs(int fd)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	bool has_data = f->inode && (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode));
	return has_data ? inode_sync(f->inode, false) : 0; /* a pipe's or socket's file system has nothing to write */
}
long sys_sync(void) { return 0; }

/* Advice about future access: checked, then nothing to steer (no page cache). */
long sys_fadvise64(int fd, long offset, long len, int advice)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (!f->ops->seekable)
		return -ESPIPE;
	if (advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE || len < 0)
		return -EINVAL;
	(void)offset;
	return 0;
}

long sys_sync_file_range(int fd, long offset, long nbytes, unsigned flags)
{
	if (flags & ~7u || offset < 0 || nbytes < 0)
		return -EINVAL;
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	return S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) ? 0 : -ESPIPE;
}

/* The file is in memory already: reading ahead has nothing to fetch. */
long sys_readahead(int fd, long offset, size_t count)
{
	(void)count;
	struct file *f = current_file(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return S_ISREG(f->inode->mode) && offset >= 0 ? 0 : -EINVAL;
}

long sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	if (flags & ~(unsigned)(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE) || first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && fd_table_unshare(&current_process()->files))
		return -ENOMEM;
	struct fd_table *table = current_process()->files;
	for (unsigned fd = first; fd <= last && fd < FD_MAX; fd++) {
		if (!table->files[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			table->cloexec[fd] = true;
		else
			fd_close(table, (int)fd);
	}
	return 0;
}

long sys_fallocate(int fd, int mode, long offset, long len)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (offset < 0 || len <= 0 || offset + len < offset)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!S_ISREG(f->inode->mode))
		return -ENODEV;
	uint64_t end = (uint64_t)offset + (uint64_t)len;
	switch (mode) {
	case 0: /* reserve: the file grows to cover the range */
	case FALLOC_FL_KEEP_SIZE: {
		int err = seals_check_fallocate(f->inode, false, end);
		if (err || mode || end <= f->inode->size)
			return err; /* memory is reserved when written */
		return inode_truncate(f->inode, end);
	}
	case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE:
	case FALLOC_FL_ZERO_RANGE:
	case FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE: {
		int err = seals_check_fallocate(f->inode, mode & FALLOC_FL_PUNCH_HOLE, end);
		if (err)
			return err;
		/* A hole frees pages; written as zeros it would fill a sparse file's
		 * holes, a gigabyte of them for a gigabyte punched. */
		if ((mode & FALLOC_FL_PUNCH_HOLE) && !f->inode->volume)
			return inode_punch_hole(f->inode, (uint64_t)offset, end);
		uint64_t size = f->inode->size;
		uint64_t stop = end < size || (mode & FALLOC_FL_KEEP_SIZE) ? (end < size ? end : size) : end;
		for (uint64_t at = (uint64_t)offset; at < stop;) {
			static const uint8_t zeros[512];
			size_t n = stop - at < sizeof zeros ? stop - at : sizeof zeros;
			long put = inode_write_buf(f->inode, at, kernel_buf(zeros), n);
			if (put < 0)
				return put;
			at += (uint64_t)put;
		}
		return 0;
	}
	default:
		return -EOPNOTSUPP;
	}
}

long sys_ftruncate(int fd, long length)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	if (length < 0 || !S_ISREG(f->inode->mode) || !writable(f))
		return -EINVAL;
	int err = inode_truncate(f->inode, (uint64_t)length);
	return err ? err : clear_setid_on_write(current_cred(), f->inode);
}

struct linux_dirent64_header {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
} __attribute__((packed));

static unsigned char dirent_type(uint32_t mode)
{
	return (unsigned char)((mode & S_IFMT) >> 12); /* DT_* mirror S_IF* */
}

/* The two record layouts: linux_dirent64 (getdents64) and the older
 * linux_dirent (getdents), whose d_type sits in the record's last byte. */
struct linux_dirent_header {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
} __attribute__((packed));

/* Emits one entry; returns its length, 0 when it does not fit, or -EFAULT. */
static long emit_dirent(uint8_t *user_at, size_t room, const char *name, const struct inode *ino, int64_t next,
                        bool old_layout)
{
	size_t name_len = strlen(name);
	size_t header = old_layout ? sizeof(struct linux_dirent_header) : sizeof(struct linux_dirent64_header);
	size_t reclen = (header + name_len + 1 + (old_layout ? 1 : 0) + 7) & ~(size_t)7;
	if (reclen > room)
		return 0;
	uint8_t rec[sizeof(struct linux_dirent64_header) + 256 + 16];
	memset(rec, 0, reclen);
	if (old_layout) {
		struct linux_dirent_header h = {ino->ino, (unsigned long)next, (unsigned short)reclen};
		memcpy(rec, &h, sizeof h);
		rec[reclen - 1] = dirent_type(ino->mode);
	} else {
		struct linux_dirent64_header h = {ino->ino, next, (unsigned short)reclen, dirent_type(ino->mode)};
		memcpy(rec, &h, sizeof h);
	}
	memcpy(rec + header, name, name_len);
	return copy_to_user(user_at, rec, reclen) ? -EFAULT : (long)reclen;
}

/* Positions: 0 is ".", 1 is "..", then each entry's own (struct dentry),
 * which grow along the list: a read goes on from the first entry at or
 * past the file's position. */
static long read_directory(int fd, void *dirp, unsigned count, bool old_layout)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	struct inode *dir = f->inode;
	if (!dir || !S_ISDIR(dir->mode))
		return -ENOTDIR;
	dir_refresh(dir);
	size_t done = 0;
	struct dentry *d = dir->dir.children;
	for (;;) {
		const char *name;
		const struct inode *ino;
		uint64_t next;
		if (f->pos == 0) {
			name = ".";
			ino = dir;
			next = 1;
		} else if (f->pos == 1) {
			name = "..";
			ino = dir->dir.parent ? dir->dir.parent : vfs_root();
			next = 2;
		} else {
			while (d && d->position < f->pos)
				d = d->next;
			if (!d)
				break;
			name = d->name;
			ino = d->inode;
			next = d->position + 1;
		}
		long n = emit_dirent((uint8_t *)dirp + done, count - done, name, ino, (int64_t)next, old_layout);
		if (n < 0)
			return done ? (long)done : n;
		if (n == 0)
			return done ? (long)done : -EINVAL;
		done += (size_t)n;
		f->pos = next;
	}
	return (long)done;
}

long sys_getdents64(int fd, void *dirp, unsigned count) { return read_directory(fd, dirp, count, false); }
long sys_getdents(int fd, void *dirp, unsigned count) { return read_directory(fd, dirp, count, true); }
