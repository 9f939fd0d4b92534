/* Shared file-system syscall helpers, see fs_common.h. */
#include "syscalls/fs_common.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"

int user_path_get(const char *user, struct user_path *out, bool empty_ok)
{
	long n = strncpy_from_user(out->name, user, sizeof out->name);
	if (n < 0)
		return (int)n;
	return n == 0 && !empty_ok ? -ENOENT : 0;
}

struct file *current_file(int fd) { return fd_get(current_process()->files, fd); }

int dirfd_start(int dirfd, const char *path, struct inode **start)
{
	if (path[0] == '/') {
		*start = vfs_root();
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		*start = current_process()->fs->cwd;
		return 0;
	}
	struct file *f = current_file(dirfd);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	*start = f->inode;
	return 0;
}

int lookup_at(int dirfd, const char *path, int flags, struct inode **out)
{
	struct inode *start;
	int err = dirfd_start(dirfd, path, &start);
	return err ? err : vfs_lookup(start, path, flags, out);
}
