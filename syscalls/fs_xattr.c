/* The extended-attribute calls: set, get, list and remove, each by path
 * (following a final symlink), by path without following it (the l forms)
 * or by descriptor (the f forms). They copy the name and value in, with
 * Linux's checks and in its order (flags, name, value, then the file), and
 * leave the attributes to kernel/fs/xattr.c. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/xattr.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "syscalls/fs_common.h"

/* The file a call names. */
struct xattr_target {
	const char *path; /* unless by_fd */
	int fd;
	bool by_fd;
	bool follow;
};

#define BY_PATH(p) ((struct xattr_target){.path = (p), .follow = true})
#define BY_LINK(p) ((struct xattr_target){.path = (p)})
#define BY_FD(d) ((struct xattr_target){.fd = (d), .by_fd = true})

static int target_inode(struct xattr_target t, struct inode **out)
{
	if (t.by_fd) {
		struct file *f = current_file(t.fd);
		if (!f || (f->flags & O_PATH))
			return -EBADF;
		*out = f->inode;
		return 0;
	}
	if (!t.path)
		return -EFAULT;
	return inode_at(AT_FDCWD, t.path, t.follow ? 0 : AT_SYMLINK_NOFOLLOW, out);
}

/* An empty name, or one longer than XATTR_NAME_MAX, is ERANGE on Linux. */
static int name_get(const char *user, char name[XATTR_NAME_MAX + 1])
{
	long n = strncpy_from_user(name, user, XATTR_NAME_MAX + 1);
	if (n == 0 || n == -ENAMETOOLONG)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

static long set_xattr(struct xattr_target t, const char *user_name, const void *user_value, size_t size, int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	char name[XATTR_NAME_MAX + 1];
	int err = name_get(user_name, name);
	if (err)
		return err;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	void *value = kmalloc(size ? size : 1);
	if (!value)
		return -ENOMEM;
	struct inode *ino;
	err = copy_from_user(value, user_value, size);
	if (!err)
		err = target_inode(t, &ino);
	if (!err)
		err = xattr_permission(current_cred(), ino, name, MAY_WRITE);
	if (!err)
		err = xattr_set(ino, name, value, size, flags);
	kfree(value);
	return err;
}

static long get_xattr(struct xattr_target t, const char *user_name, void *user_value, size_t size)
{
	char name[XATTR_NAME_MAX + 1];
	struct inode *ino;
	int err = name_get(user_name, name);
	if (!err)
		err = target_inode(t, &ino);
	if (!err)
		err = xattr_permission(current_cred(), ino, name, MAY_READ);
	if (err)
		return err;
	return xattr_get(ino, name, user_buf(user_value), size < XATTR_SIZE_MAX ? size : XATTR_SIZE_MAX);
}

static long list_xattr(struct xattr_target t, char *user_list, size_t size)
{
	struct inode *ino;
	int err = target_inode(t, &ino);
	if (err)
		return err;
	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	long n = xattr_list(ino, cred_capable(current_cred(), CAP_SYS_ADMIN), user_buf(user_list), size);
	/* A list no buffer could hold. */
	return n == -ERANGE && size == XATTR_LIST_MAX ? -E2BIG : n;
}

static long remove_xattr(struct xattr_target t, const char *user_name)
{
	char name[XATTR_NAME_MAX + 1];
	struct inode *ino;
	int err = name_get(user_name, name);
	if (!err)
		err = target_inode(t, &ino);
	if (!err)
		err = xattr_permission(current_cred(), ino, name, MAY_WRITE);
	return err ? err : xattr_remove(ino, name);
}

long sys_setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	return set_xattr(BY_PATH(path), name, value, size, flags);
}
long sys_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	return set_xattr(BY_LINK(path), name, value, size, flags);
}
long sys_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	return set_xattr(BY_FD(fd), name, value, size, flags);
}

long sys_getxattr(const char *path, const char *name, void *value, size_t size)
{
	return get_xattr(BY_PATH(path), name, value, size);
}
long sys_lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	return get_xattr(BY_LINK(path), name, value, size);
}
long sys_fgetxattr(int fd, const char *name, void *value, size_t size)
{
	return get_xattr(BY_FD(fd), name, value, size);
}

long sys_listxattr(const char *path, char *list, size_t size) { return list_xattr(BY_PATH(path), list, size); }
long sys_llistxattr(const char *path, char *list, size_t size) { return list_xattr(BY_LINK(path), list, size); }
long sys_flistxattr(int fd, char *list, size_t size) { return list_xattr(BY_FD(fd), list, size); }

long sys_removexattr(const char *path, const char *name) { return remove_xattr(BY_PATH(path), name); }
long sys_lremovexattr(const char *path, const char *name) { return remove_xattr(BY_LINK(path), name); }
long sys_fremovexattr(int fd, const char *name) { return remove_xattr(BY_FD(fd), name); }
