/* File locks from the app's side: fcntl's record locks (F_GETLK, F_SETLK,
 * F_SETLKW and their OFD forms) and flock(2). The arguments are checked and
 * the range turned absolute here; kernel/fs/lock.c keeps the locks. */
#include <asm-generic/fcntl.h>
#include <linux/fcntl.h>
#include <linux/fs.h>

#include "kernel/errno.h"
#include "kernel/fs/lock.h"
#include "kernel/mm/uaccess.h"
#include "syscalls/fs_common.h"

static bool ofd_command(unsigned cmd) { return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW; }

/* The struct flock as an absolute [start, end) range of the caller's (or,
 * for an OFD lock, the open file's) ownership. */
static long to_request(const struct file *f, unsigned cmd, const struct flock *l, struct lock_request *req)
{
	int64_t base;
	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END:
		base = (int64_t)f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	unsigned access = f->flags & O_ACCMODE;
	if (l->l_type == F_RDLCK && access == O_WRONLY)
		return -EBADF;
	if (l->l_type == F_WRLCK && access == O_RDONLY)
		return -EBADF;
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK && l->l_type != F_UNLCK)
		return -EINVAL;
	if (ofd_command(cmd) && l->l_pid != 0)
		return -EINVAL;
	int64_t start = base + l->l_start;
	int64_t end = l->l_len > 0 ? start + l->l_len : l->l_len == 0 ? -1 : start;
	if (l->l_len < 0)
		start += l->l_len;
	if (start < 0)
		return -EINVAL;
	req->start = (uint64_t)start;
	req->end = end < 0 ? LOCK_TO_END : (uint64_t)end;
	req->type = l->l_type;
	req->owner = ofd_command(cmd) ? (const void *)f : (const void *)current_process();
	req->pid = ofd_command(cmd) ? -1 : current_process()->pid;
	return 0;
}

long fcntl_record_lock(struct file *f, unsigned cmd, void *user_lock)
{
	struct flock l;
	if (copy_from_user(&l, user_lock, sizeof l))
		return -EFAULT;
	if (!f->inode)
		return -EINVAL;
	struct lock_request req;
	long err = to_request(f, cmd, &l, &req);
	if (err)
		return err;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		if (l.l_type == F_UNLCK)
			return -EINVAL;
		if (lock_find_conflict(f->inode, &req)) {
			l.l_type = req.type;
			l.l_whence = SEEK_SET;
			l.l_start = (long)req.start;
			l.l_len = req.end == LOCK_TO_END ? 0 : (long)(req.end - req.start);
			l.l_pid = req.pid;
		} else {
			l.l_type = F_UNLCK;
		}
		return copy_to_user(user_lock, &l, sizeof l) ? -EFAULT : 0;
	}
	return lock_set(f->inode, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

long sys_flock(int fd, unsigned operation)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	bool nonblock = operation & LOCK_NB;
	unsigned op = operation & ~(unsigned)LOCK_NB;
	if (op == LOCK_UN) {
		lock_flock_release(f);
		return 0;
	}
	if (op != LOCK_SH && op != LOCK_EX)
		return -EINVAL;
	return lock_flock(f, (int)op, nonblock);
}
