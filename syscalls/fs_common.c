/* Shared file-system syscall helpers, see fs_common.h. */
#include "syscalls/fs_common.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/mm/uaccess.h"

int user_path_get(const char *user, struct user_path *out, bool empty_ok)
{
	long n = strncpy_from_user(out->name, user, sizeof out->name);
	if (n < 0)
		return (int)n;
	return n == 0 && !empty_ok ? -ENOENT : 0;
}

static int dirfd_inode(int dirfd, struct inode **out)
{
	if (dirfd == AT_FDCWD) {
		*out = current_process()->fs->cwd;
		return 0;
	}
	struct file *f = current_file(dirfd);
	if (!f)
		return -EBADF;
	*out = f->inode;
	return 0;
}

int inode_at_as(const struct credentials *cred, int dirfd, const char *user_path, int at_flags, struct inode **out)
{
	if (!user_path)
		return dirfd_inode(dirfd, out);
	struct user_path p;
	struct inode *start;
	int err = user_path_get(user_path, &p, at_flags & AT_EMPTY_PATH);
	if (err)
		return err;
	if (!p.name[0])
		return dirfd_inode(dirfd, out);
	err = dirfd_start(dirfd, p.name, &start);
	if (err)
		return err;
	struct lookup_context ctx = {.root = current_root(), .cred = cred};
	return vfs_lookup(ctx, start, p.name, at_flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, out);
}

int inode_at(int dirfd, const char *user_path, int at_flags, struct inode **out)
{
	return inode_at_as(current_cred(), dirfd, user_path, at_flags, out);
}

int parent_at(int dirfd, const char *user_path, struct user_path *p, struct inode **parent, const char **name,
              size_t *len)
{
	struct inode *start;
	int err = user_path_get(user_path, p, false);
	if (!err)
		err = dirfd_start(dirfd, p->name, &start);
	return err ? err : vfs_lookup_parent(current_lookup(), start, p->name, parent, name, len);
}

int new_entry_at(int dirfd, const char *user_path, struct user_path *p, struct inode **parent, const char **name,
                 size_t *len)
{
	int err = parent_at(dirfd, user_path, p, parent, name, len);
	if (err)
		return err == -EBUSY ? -EEXIST : err;
	if (is_dot_or_dotdot(*name, *len) || dir_lookup(*parent, *name, *len))
		return -EEXIST;
	return may_create(current_cred(), *parent);
}
