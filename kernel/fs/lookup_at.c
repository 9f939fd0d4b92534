/* Lookups relative to the calling process, see lookup_at.h. */
#include "kernel/fs/lookup_at.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/proc/process.h"

struct file *current_file(int fd) { return fd_get(current_process()->files, fd); }

struct inode *current_root(void) { return current_process()->fs->root; }

const struct credentials *current_cred(void) { return &current_process()->cred; }

struct lookup_context current_lookup(void) { return (struct lookup_context){.root = current_root(), .cred = current_cred()}; }

int dirfd_folder(int dirfd, struct inode **folder)
{
	if (dirfd == AT_FDCWD) {
		*folder = current_process()->fs->cwd;
		return 0;
	}
	struct file *f = current_file(dirfd);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	*folder = f->inode;
	return 0;
}

int dirfd_start(int dirfd, const char *path, struct inode **start)
{
	if (path[0] == '/') {
		*start = current_root();
		return 0;
	}
	return dirfd_folder(dirfd, start);
}

int lookup_at(int dirfd, const char *path, int flags, struct inode **out)
{
	struct inode *start;
	int err = dirfd_start(dirfd, path, &start);
	return err ? err : vfs_lookup(current_lookup(), start, path, flags, out);
}

bool is_dot_or_dotdot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}
