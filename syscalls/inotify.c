/* inotify_init, inotify_init1, inotify_add_watch and inotify_rm_watch: the
 * instance is a file (kernel/fs/inotify.c) on the lowest free descriptor;
 * a watch names its inode by path, which the caller must be able to read. */
#include <linux/inotify.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/permission.h"
#include "syscalls/fs_common.h"

/* The bits Linux accepts in a watch's mask: at least one must be set. */
#define ALL_INOTIFY_BITS                                                                                               \
	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK |      \
	 IN_MASK_ADD | IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT)

long sys_inotify_init1(int flags)
{
	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	struct file *f;
	int err = inotify_create((unsigned)flags & IN_NONBLOCK, current_process()->cred.euid, &f);
	return err ? err : fd_install_new(current_process()->files, f, flags & IN_CLOEXEC);
}

long sys_inotify_init(void) { return sys_inotify_init1(0); }

/* The instance at fd: EBADF when there is no file, EINVAL when it is some
 * other kind. */
static int instance_at(int fd, struct file **out)
{
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	*out = f;
	return inotify_is_instance(f) ? 0 : -EINVAL;
}

long sys_inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	struct file *f;
	struct user_path p;
	struct inode *ino;
	int err = instance_at(fd, &f);
	if (!err)
		err = user_path_get(path, &p, false);
	if (!err)
		err = lookup_at(
		    AT_FDCWD, p.name,
		    (mask & IN_DONT_FOLLOW ? 0 : LOOKUP_FOLLOW) | (mask & IN_ONLYDIR ? LOOKUP_DIRECTORY : 0), &ino);
	if (!err)
		err = inode_permission(current_cred(), ino, MAY_READ);
	return err ? err : inotify_watch_add(f, ino, mask);
}

long sys_inotify_rm_watch(int fd, int wd)
{
	struct file *f;
	int err = instance_at(fd, &f);
	return err ? err : inotify_watch_remove(f, wd);
}
