/* Syscalls that change an inode's metadata: mode, owner and timestamps. */
#include <linux/fcntl.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/seals.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"
#include "syscalls/fs_common.h"

#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

static long change_mode(struct inode *ino, unsigned mode)
{
	if (inode_read_only(ino))
		return -EROFS;
	int err = may_chmod(current_cred(), ino, &mode);
	if (!err)
		err = seals_check_chmod(ino, mode);
	if (err)
		return err;
	ino->mode = (ino->mode & S_IFMT) | (mode & 07777);
	inode_touch(ino, false);
	err = inode_commit_attrs(ino, INODE_ATTR_MODE);
	if (!err)
		inotify_event(ino, IN_ATTRIB);
	return err;
}

long sys_fchmodat(int dirfd, const char *path, unsigned mode)
{
	struct inode *ino;
	int err = path ? inode_at(dirfd, path, 0, &ino) : -EFAULT;
	return err ? err : change_mode(ino, mode);
}

long sys_chmod(const char *path, unsigned mode) { return sys_fchmodat(AT_FDCWD, path, mode); }

long sys_fchmod(int fd, unsigned mode)
{
	struct file *f = current_file(fd);
	return f ? change_mode(f->inode, mode) : -EBADF;
}

/* Root may give files any owner, their owner any of its groups; -1 keeps
 * one unchanged. Any chown of a non-directory drops its set-id bits, as
 * Linux's chown_common asks, even one that changes nothing. */
static long change_owner(struct inode *ino, int uid, int gid)
{
	if (inode_read_only(ino))
		return -EROFS;
	const struct credentials *cred = current_cred();
	int err = may_chown(cred, ino, (uint32_t)uid, (uint32_t)gid);
	if (err)
		return err;
	uint32_t dropped = setid_bits_dropped_by_chown(cred, ino);
	if (dropped && !cred_owns(cred, ino))
		return -EPERM; /* clearing them changes the mode, which is the owner's */
	if (uid != -1)
		ino->uid = (uint32_t)uid;
	if (gid != -1)
		ino->gid = (uint32_t)gid;
	ino->mode &= ~dropped;
	inode_touch(ino, false);
	bool changed = uid != -1 || gid != -1;
	err = inode_commit_attrs(ino, (changed ? INODE_ATTR_OWNER : 0) | (dropped ? INODE_ATTR_MODE : 0));
	if (!err && changed)
		inotify_event(ino, IN_ATTRIB);
	return err;
}

long sys_fchownat(int dirfd, const char *path, int uid, int gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *ino;
	int err = path ? inode_at(dirfd, path, flags, &ino) : -EFAULT;
	return err ? err : change_owner(ino, uid, gid);
}

long sys_chown(const char *path, int uid, int gid) { return sys_fchownat(AT_FDCWD, path, uid, gid, 0); }
long sys_lchown(const char *path, int uid, int gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, int uid, int gid)
{
	struct file *f = current_file(fd);
	return f ? change_owner(f->inode, uid, gid) : -EBADF;
}

static int read_time(const struct __kernel_timespec *t, struct kstat_time *out, bool *omit)
{
	*omit = false;
	if (t->tv_nsec == UTIME_OMIT) {
		*omit = true;
		return 0;
	}
	if (t->tv_nsec == UTIME_NOW) {
		uint64_t ns = time_realtime_ns();
		*out = (struct kstat_time){(int64_t)(ns / 1000000000), (long)(ns % 1000000000)};
		return 0;
	}
	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000)
		return -EINVAL;
	*out = (struct kstat_time){t->tv_sec, (long)t->tv_nsec};
	return 0;
}

static bool is_explicit(const struct __kernel_timespec *t)
{
	return t->tv_nsec != UTIME_NOW && t->tv_nsec != UTIME_OMIT;
}

/* Applies a pair of times (access, modification) already in the kernel. */
static long apply_times(int dirfd, const char *path, int flags, const struct __kernel_timespec t[2])
{
	struct kstat_time at, mt;
	bool omit_a, omit_m;
	int err = read_time(&t[0], &at, &omit_a);
	if (!err)
		err = read_time(&t[1], &mt, &omit_m);
	struct inode *ino;
	if (!err)
		err = inode_at(dirfd, path, flags, &ino);
	if (err)
		return err;
	if (inode_read_only(ino))
		return -EROFS;
	bool touch = t[0].tv_nsec == UTIME_NOW && t[1].tv_nsec == UTIME_NOW;
	err = may_set_times(current_cred(), ino, is_explicit(&t[0]) || is_explicit(&t[1]), touch);
	if (err)
		return err;
	if (!omit_a)
		ino->atime = at;
	if (!omit_m)
		ino->mtime = mt;
	if (!omit_a || !omit_m)
		inode_touch(ino, false);
	err = inode_commit_attrs(ino, !omit_a || !omit_m ? INODE_ATTR_TIMES : 0);
	/* Linux's names for a change of times: both is IN_ATTRIB, one alone
	 * is an access or a modification. */
	if (!err && (!omit_a || !omit_m))
		inotify_event(ino, omit_m ? IN_ACCESS : omit_a ? IN_MODIFY : IN_ATTRIB);
	return err;
}

/* Linux's struct utimbuf. */
struct utimbuf_abi {
	long actime, modtime;
};

static const struct __kernel_timespec both_now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};

long sys_utimensat(int dirfd, const char *path, const struct __kernel_timespec *times, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct __kernel_timespec t[2];
	if (times && copy_from_user(t, times, sizeof t))
		return -EFAULT;
	return apply_times(dirfd, path, flags, times ? t : both_now);
}

/* futimesat and utimes take microseconds. */
long sys_futimesat(int dirfd, const char *path, const struct __kernel_old_timeval *times)
{
	if (!path)
		return -EFAULT;
	if (!times)
		return apply_times(dirfd, path, 0, both_now);
	struct __kernel_old_timeval tv[2];
	if (copy_from_user(tv, times, sizeof tv))
		return -EFAULT;
	struct __kernel_timespec t[2];
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		t[i] = (struct __kernel_timespec){tv[i].tv_sec, tv[i].tv_usec * 1000};
	}
	return apply_times(dirfd, path, 0, t);
}

/* utime takes whole seconds: struct utimbuf's access and modification times. */
long sys_utime(const char *path, const struct utimbuf_abi *times)
{
	if (!path)
		return -EFAULT;
	if (!times)
		return apply_times(AT_FDCWD, path, 0, both_now);
	struct utimbuf_abi u;
	if (copy_from_user(&u, times, sizeof u))
		return -EFAULT;
	const struct __kernel_timespec t[2] = {{u.actime, 0}, {u.modtime, 0}};
	return apply_times(AT_FDCWD, path, 0, t);
}

long sys_utimes(const char *path, const struct __kernel_old_timeval *times)
{
	return sys_futimesat(AT_FDCWD, path, times);
}
