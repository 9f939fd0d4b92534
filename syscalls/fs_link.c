/* Symbolic and hard links: symlink(at), link(at). */
#include <linux/fcntl.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/mm/heap.h"
#include "syscalls/fs_common.h"

long sys_symlinkat(const char *user_target, int dirfd, const char *linkpath)
{
	struct user_path target, p;
	struct inode *parent;
	const char *name;
	size_t len;
	int err = user_path_get(user_target, &target, false);
	if (!err)
		err = new_entry_at(dirfd, linkpath, &p, &parent, &name, &len);
	if (err)
		return err;
	struct inode *link = inode_new(S_IFLNK | 0777);
	if (!link)
		return -ENOMEM;
	inode_init_owner(current_cred(), parent, link);
	link->link_target = kstrdup(target.name);
	link->size = strlen(target.name);
	err = link->link_target ? dir_link(parent, name, len, link) : -ENOMEM;
	inode_put(link);
	return err;
}

long sys_symlink(const char *target, const char *linkpath) { return sys_symlinkat(target, AT_FDCWD, linkpath); }

long sys_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct user_path op, np;
	struct inode *src, *parent;
	const char *name;
	size_t len;
	int err = user_path_get(oldpath, &op, flags & AT_EMPTY_PATH);
	if (err)
		return err;
	if (!op.name[0]) {
		struct file *f = current_file(olddirfd);
		if (!f)
			return -EBADF;
		src = f->inode;
	} else {
		err = lookup_at(olddirfd, op.name, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0, &src);
		if (err)
			return err;
	}
	err = new_entry_at(newdirfd, newpath, &np, &parent, &name, &len);
	if (err)
		return err;
	return S_ISDIR(src->mode) ? -EPERM : dir_link(parent, name, len, src);
}

long sys_link(const char *oldpath, const char *newpath) { return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0); }
