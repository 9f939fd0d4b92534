/* File locks: fcntl's POSIX record locks and flock(2). The app is the only
 * process, and POSIX locks of one process never conflict with each other,
 * so a record lock is checked and granted, and F_GETLK finds none. flock
 * locks belong to open files and do conflict between two opens. */
#include <asm-generic/fcntl.h>
#include <linux/fcntl.h>
#include <linux/fs.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "syscalls/fs_common.h"

static long check_record_lock(const struct file *f, const struct flock *l)
{
	if (l->l_whence != SEEK_SET && l->l_whence != SEEK_CUR && l->l_whence != SEEK_END)
		return -EINVAL;
	unsigned access = f->flags & O_ACCMODE;
	switch (l->l_type) {
	case F_RDLCK:
		return access == O_WRONLY ? -EBADF : 0;
	case F_WRLCK:
		return access == O_RDONLY ? -EBADF : 0;
	case F_UNLCK:
		return 0;
	default:
		return -EINVAL;
	}
}

long fcntl_record_lock(struct file *f, unsigned cmd, void *user_lock)
{
	struct flock l;
	if (copy_from_user(&l, user_lock, sizeof l))
		return -EFAULT;
	long err = check_record_lock(f, &l);
	if (err)
		return err;
	if (cmd == F_GETLK) {
		l.l_type = F_UNLCK; /* no other process can hold a lock */
		return copy_to_user(user_lock, &l, sizeof l) ? -EFAULT : 0;
	}
	return 0; /* F_SETLK, F_SETLKW: granted */
}

long sys_flock(int fd, unsigned operation)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	bool nonblock = operation & LOCK_NB;
	unsigned op = operation & ~(unsigned)LOCK_NB;
	struct inode *ino = f->inode;
	if (op == LOCK_UN) {
		file_flock_release(f);
		return 0;
	}
	if (op != LOCK_SH && op != LOCK_EX)
		return -EINVAL;
	if ((int)op == f->flock_mode)
		return 0;
	/* Converting drops the old lock first, as Linux does. */
	file_flock_release(f);
	bool conflict = ino->flock_exclusive || (op == LOCK_EX && ino->flock_shared > 0);
	if (conflict)
		/* The holder is this same process; waiting would never end. */
		return nonblock ? -EWOULDBLOCK : -EDEADLK;
	if (op == LOCK_SH)
		ino->flock_shared++;
	else
		ino->flock_exclusive = f;
	f->flock_mode = (int)op;
	return 0;
}
