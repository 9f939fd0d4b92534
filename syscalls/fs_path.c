/* Syscalls on names in the tree: open (openat2 too) and create, mkdir, unlink, rmdir,
 * rename, readlink, access, chdir, getcwd, truncate, umask. */
#include <linux/fcntl.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/devfs.h"
#include "kernel/fs/lease.h"
#include "kernel/fs/missing.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/pipe.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/security/capability.h"
#include "syscalls/fs_common.h"

#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define R_OK 4
#define W_OK 2
#define X_OK 1
#define O_PATH_FLAGS (O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW) /* all that O_PATH takes, as Linux */

static uint32_t apply_umask(uint32_t mode) { return mode & ~current_process()->fs->umask & 07777; }

/* A new inode for a name in dir, owned as Linux gives new files. */
static struct inode *new_node(struct inode *dir, uint32_t mode)
{
	struct inode *ino = inode_new(mode);
	if (ino)
		inode_init_owner(current_cred(), dir, ino);
	return ino;
}

/* name, len bytes long, as the string a kernel folder's hooks take
 * (create_entry, remove_entry). */
static int hook_name(char out[NAME_MAX + 1], const char *name, size_t len)
{
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(out, name, len);
	out[len] = 0;
	return 0;
}

/* open(O_CREAT) of a new name in a folder of the kernel's that makes its
 * own entries (/dev/mqueue): its hook makes the entry, with the caller's
 * right to write the folder. */
static int create_kernel_entry(struct inode *parent, const char *name, size_t len, uint32_t mode,
                               struct inode **out, bool *created)
{
	char entry[NAME_MAX + 1];
	int err = hook_name(entry, name, len);
	if (!err)
		err = inode_permission(current_cred(), parent, MAY_WRITE | MAY_EXEC);
	if (!err)
		err = parent->dir.create_entry(parent, entry, mode);
	if (err)
		return err;
	dir_refresh(parent);
	*out = dir_lookup(parent, name, len);
	*created = *out != NULL;
	return *out ? 0 : -ENOENT;
}

/* Finds or creates the file for open(O_CREAT); *created tells which. */
static int open_create(struct lookup_context ctx, struct inode *start, const char *path, int flags, uint32_t mode,
                       struct inode **out, bool *created)
{
	struct inode *parent;
	const char *name;
	size_t len;
	int err = vfs_lookup_parent(ctx, start, path, &parent, &name, &len);
	if (err)
		return err == -EBUSY ? -EISDIR : err;
	if (path[strlen(path) - 1] == '/')
		return -EISDIR;
	dir_refresh(parent); /* /proc's folders, such as /proc/self/fd */
	struct inode *existing = is_dot_or_dotdot(name, len) ? parent : dir_lookup(parent, name, len);
	if (existing) {
		if (flags & O_EXCL)
			return -EEXIST;
		if (S_ISLNK(existing->mode) && (flags & O_NOFOLLOW))
			return -ELOOP;
		if (S_ISLNK(existing->mode) || ctx.resolve) /* openat2: its rules for the last step too */
			return vfs_lookup(ctx, start, path, LOOKUP_FOLLOW, out);
		*out = existing;
		return 0;
	}
	if (parent->dir.kernel_entries && parent->dir.create_entry)
		return create_kernel_entry(parent, name, len, mode, out, created);
	err = may_create(current_cred(), parent);
	if (err)
		return err;
	struct inode *ino = new_node(parent, S_IFREG | apply_umask(mode));
	if (!ino)
		return -ENOMEM;
	err = dir_link(parent, name, len, ino);
	inode_put(ino);
	if (!err) {
		*out = ino;
		*created = true;
	}
	return err;
}

/* Linux's may_open: the access the open asks for (O_TRUNC writes), and
 * O_NOATIME for the owner only. A file the open just made needs none. */
static int may_open(const struct inode *ino, int flags)
{
	static const int asked[4] = {[O_RDONLY] = MAY_READ,
	                             [O_WRONLY] = MAY_WRITE,
	                             [O_RDWR] = MAY_READ | MAY_WRITE,
	                             [O_ACCMODE] = MAY_READ | MAY_WRITE};
	if (flags & O_PATH)
		return 0;
	int mask = asked[flags & O_ACCMODE] | (flags & O_TRUNC ? MAY_WRITE : 0);
	int err = inode_permission(current_cred(), ino, mask);
	if (!err && (flags & O_NOATIME) && !cred_owns(current_cred(), ino))
		err = -EPERM;
	return err;
}

/* openat and openat2, once the path is read and its start known: ctx says
 * how to look it up (openat2's RESOLVE_* flags). */
static long open_at(struct lookup_context ctx, struct inode *start, const char *path, int flags, unsigned mode)
{
	struct inode *ino;
	int err;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & O_PATH) /* O_PATH ignores the rest (O_CREAT, O_TRUNC, access) */
		flags &= O_PATH_FLAGS;
	flags |= O_LARGEFILE; /* Linux's force_o_largefile: every open on x86_64 is one */
	bool created = false;
	if (flags & O_CREAT) {
		err = open_create(ctx, start, path, flags, mode, &ino, &created);
	} else {
		err = vfs_lookup(ctx, start, path, (flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW), &ino);
		if (!err && S_ISLNK(ino->mode) && !(flags & O_PATH))
			err = -ELOOP;
	}
	if (err == -ENOENT)
		missing_note(start, path, false);
	if (err)
		return err;
	int access = flags & O_ACCMODE;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if ((S_ISCHR(ino->mode) || S_ISBLK(ino->mode)) && !ino->dev && !(flags & O_PATH))
		return -ENXIO; /* a device node with no driver behind its number */
	if (S_ISSOCK(ino->mode) && !(flags & O_PATH))
		return -ENXIO; /* a bound AF_UNIX socket is reached with connect */
	if (S_ISDIR(ino->mode) && (access != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (access != O_RDONLY && !(flags & O_PATH) && inode_read_only(ino))
		return -EROFS;
	if (!created && (err = may_open(ino, flags)))
		return err;
	if ((access != O_RDONLY || (flags & O_TRUNC)) && !(flags & O_PATH) && ino->executing)
		return -ETXTBSY;
	if (!(flags & O_PATH) && (err = lease_break(ino, (unsigned)flags)))
		return err;
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && access != O_RDONLY && !created) {
		err = inode_truncate(ino, 0);
		if (!err)
			err = clear_setid_on_write(current_cred(), ino);
		if (err)
			return err;
	}
	char *absolute = kmalloc(PATH_MAX_LEN);
	if (!absolute)
		return -ENOMEM;
	struct file *f = NULL;
	/* The name the file keeps (/proc/self/fd): a scoped lookup's "/" is start. */
	const char *from_start = path;
	while ((ctx.resolve & RESOLVE_IN_ROOT) && *from_start == '/')
		from_start++;
	if (vfs_absolute_path(current_root(), start, *from_start ? from_start : ".", absolute, PATH_MAX_LEN) < 0)
		err = -ENOMEM;
	else if (S_ISFIFO(ino->mode) && !(flags & O_PATH))
		err = fifo_open(ino, (unsigned)flags, absolute, &f);
	else if (S_ISCHR(ino->mode) && !(flags & O_PATH) && ino->dev->open)
		err = ino->dev->open(ino, (unsigned)flags, absolute, &f);
	else if (!(f = file_open_inode(ino, (unsigned)flags, absolute)))
		err = -ENOMEM;
	kfree(absolute);
	if (err)
		return err;
	long fd = fd_install(current_process()->files, f, 0, flags & O_CLOEXEC);
	file_put(f);
	return fd;
}

long sys_openat(int dirfd, const char *user_path, int flags, unsigned mode)
{
	struct user_path p;
	struct inode *start;
	int err = user_path_get(user_path, &p, false);
	if (!err)
		err = dirfd_start(dirfd, p.name, &start);
	return err ? err : open_at(current_lookup(), start, p.name, flags, mode);
}

#define OPEN_HOW_SIZE_VER0 24 /* the first struct open_how, Linux 5.6 */

/* Linux's VALID_OPEN_FLAGS: openat2 refuses any other bit. */
#define OPEN_FLAGS_KNOWN                                                                                            \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT |   \
	 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | __O_TMPFILE)
#define RESOLVE_KNOWN                                                                                               \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT |          \
	 RESOLVE_CACHED)

/* openat with an extensible struct open_how: unknown flags, a mode without
 * O_CREAT or O_TMPFILE, and both scopes at once are EINVAL, and
 * how->resolve restricts the lookup (kernel/fs/path.c). */
long sys_openat2(int dirfd, const char *user_path, const struct open_how *user_how, size_t size)
{
	struct open_how how;
	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	int err = copy_struct_from_user(&how, sizeof how, user_how, size);
	if (err)
		return err;
	bool creates = how.flags & (O_CREAT | __O_TMPFILE);
	if ((how.flags & ~(uint64_t)OPEN_FLAGS_KNOWN) || (how.resolve & ~(uint64_t)RESOLVE_KNOWN))
		return -EINVAL;
	if ((how.resolve & RESOLVE_BENEATH) && (how.resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (creates ? how.mode & ~(uint64_t)07777 : how.mode)
		return -EINVAL;
	if ((how.flags & O_PATH) && (how.flags & ~(uint64_t)O_PATH_FLAGS))
		return -EINVAL; /* openat quietly drops them */
	if ((how.resolve & RESOLVE_CACHED) && (how.flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN; /* never from the cache alone */
	struct user_path p;
	if ((err = user_path_get(user_path, &p, false)))
		return err;
	struct lookup_context ctx = current_lookup();
	ctx.resolve = (unsigned)how.resolve;
	struct inode *start;
	if (how.resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) {
		err = dirfd_folder(dirfd, &start);
		ctx.root = start;
	} else {
		err = dirfd_start(dirfd, p.name, &start);
	}
	return err ? err : open_at(ctx, start, p.name, (int)how.flags, (unsigned)how.mode);
}

long sys_open(const char *path, int flags, unsigned mode) { return sys_openat(AT_FDCWD, path, flags, mode); }
long sys_creat(const char *path, unsigned mode)
{
	return sys_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_mkdirat(int dirfd, const char *user_path, unsigned mode)
{
	struct user_path p;
	struct inode *parent;
	const char *name;
	size_t len;
	int err = new_entry_at(dirfd, user_path, &p, &parent, &name, &len);
	if (err)
		return err;
	struct inode *dir = new_node(parent, S_IFDIR | apply_umask(mode));
	if (!dir)
		return -ENOMEM;
	dir->nlink = 1; /* "." */
	err = dir_link(parent, name, len, dir);
	inode_put(dir);
	return err;
}

long sys_mkdir(const char *path, unsigned mode) { return sys_mkdirat(AT_FDCWD, path, mode); }

/* mknod: regular files, named pipes, sockets' names, and device nodes
 * (root's only: CAP_MKNOD). A character node reaches the device of its
 * number when sole drives one (devfs_driver); others open with ENXIO, as
 * do block nodes: there are no block devices. */
long sys_mknodat(int dirfd, const char *user_path, unsigned mode, unsigned dev)
{
	unsigned type = mode & S_IFMT;
	if (type != 0 && type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR && type != S_IFBLK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && !capable(CAP_MKNOD))
		return -EPERM;
	struct user_path p;
	struct inode *parent;
	const char *name;
	size_t len;
	int err = new_entry_at(dirfd, user_path, &p, &parent, &name, &len);
	if (err)
		return err;
	struct inode *node = new_node(parent, (type ? type : S_IFREG) | apply_umask(mode));
	if (!node)
		return -ENOMEM;
	if (type == S_IFCHR || type == S_IFBLK) {
		node->rdev = dev;
		node->dev = type == S_IFCHR ? devfs_driver(dev) : NULL;
	}
	err = dir_link(parent, name, len, node);
	inode_put(node);
	return err;
}

long sys_mknod(const char *path, unsigned mode, unsigned dev) { return sys_mknodat(AT_FDCWD, path, mode, dev); }

static long remove_entry(int dirfd, const char *user_path, bool directory)
{
	struct user_path p;
	struct inode *parent;
	const char *name;
	size_t len;
	int err = parent_at(dirfd, user_path, &p, &parent, &name, &len);
	if (err)
		return err;
	if (directory && len == 1 && name[0] == '.')
		return -EINVAL;
	if (directory && is_dot_or_dotdot(name, len))
		return -ENOTEMPTY;
	struct inode *victim = dir_lookup(parent, name, len);
	if (!victim)
		return -ENOENT;
	err = may_delete(current_cred(), parent, victim);
	if (err)
		return err;
	if (directory) {
		if (!S_ISDIR(victim->mode))
			return -ENOTDIR;
		if (!dir_is_empty(victim))
			return -ENOTEMPTY;
		if (victim == vfs_root())
			return -EBUSY; /* a working directory may go, as on Linux; the root may not */
	} else {
		if (S_ISDIR(victim->mode))
			return -EISDIR;
		if (p.name[strlen(p.name) - 1] == '/')
			return -ENOTDIR;
	}
	if (parent->dir.remove_entry) {
		char own[NAME_MAX + 1];
		err = hook_name(own, name, len);
		return err ? err : parent->dir.remove_entry(parent, own);
	}
	return dir_unlink(parent, name, len);
}

long sys_unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return remove_entry(dirfd, path, flags & AT_REMOVEDIR);
}
long sys_unlink(const char *path) { return remove_entry(AT_FDCWD, path, false); }
long sys_rmdir(const char *path) { return remove_entry(AT_FDCWD, path, true); }

static bool is_ancestor(const struct inode *maybe_ancestor, const struct inode *dir)
{
	for (const struct inode *d = dir; d; d = d->dir.parent)
		if (d == maybe_ancestor)
			return true;
	return false;
}

/* RENAME_EXCHANGE: both names must exist, each side may be removed from
 * its folder and created in the other, and neither folder may move inside
 * the other (Linux's vfs_rename with the flag). */
static long exchange(struct inode *dir_a, const char *name_a, size_t len_a, struct inode *a, struct inode *dir_b,
                     const char *name_b, size_t len_b, struct inode *b)
{
	if (!b)
		return -ENOENT;
	if ((S_ISDIR(a->mode) && is_ancestor(a, dir_b)) || (S_ISDIR(b->mode) && is_ancestor(b, dir_a)))
		return -EINVAL;
	const struct credentials *cred = current_cred();
	int err = may_delete(cred, dir_a, a);
	if (!err)
		err = may_delete(cred, dir_b, b);
	if (!err && dir_a != dir_b && S_ISDIR(a->mode))
		err = inode_permission(cred, a, MAY_WRITE);
	if (!err && dir_a != dir_b && S_ISDIR(b->mode))
		err = inode_permission(cred, b, MAY_WRITE);
	return err ? err : dir_exchange(dir_a, name_a, len_a, dir_b, name_b, len_b);
}

long sys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags)
{
	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL; /* RENAME_WHITEOUT is for overlay file systems, which sole has not */
	struct user_path op, np;
	struct inode *oldparent, *newparent;
	const char *oldname, *newname;
	size_t oldlen, newlen;
	int err = parent_at(olddirfd, oldpath, &op, &oldparent, &oldname, &oldlen);
	if (!err)
		err = parent_at(newdirfd, newpath, &np, &newparent, &newname, &newlen);
	if (err)
		return err;
	if (is_dot_or_dotdot(oldname, oldlen) || is_dot_or_dotdot(newname, newlen))
		return -EBUSY;
	struct inode *src = dir_lookup(oldparent, oldname, oldlen);
	if (!src)
		return -ENOENT;
	struct inode *dst = dir_lookup(newparent, newname, newlen);
	if (dst == src)
		return 0;
	if (dst && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (flags & RENAME_EXCHANGE)
		return exchange(oldparent, oldname, oldlen, src, newparent, newname, newlen, dst);
	if (S_ISDIR(src->mode) && is_ancestor(src, newparent))
		return -EINVAL;
	/* Linux's vfs_rename: both names may change, and a folder that moves
	 * to another parent rewrites its "..". */
	const struct credentials *cred = current_cred();
	err = may_delete(cred, oldparent, src);
	if (!err)
		err = dst ? may_delete(cred, newparent, dst) : may_create(cred, newparent);
	if (!err && S_ISDIR(src->mode) && newparent != oldparent)
		err = inode_permission(cred, src, MAY_WRITE);
	if (err)
		return err;
	if (S_ISDIR(src->mode)) {
		if (dst && !S_ISDIR(dst->mode))
			return -ENOTDIR;
		if (dst && !dir_is_empty(dst))
			return -ENOTEMPTY;
	} else if (dst && S_ISDIR(dst->mode)) {
		return -EISDIR;
	}
	return dir_rename(oldparent, oldname, oldlen, newparent, newname, newlen);
}

long sys_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}
long sys_rename(const char *oldpath, const char *newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

long sys_readlinkat(int dirfd, const char *user_path, char *buf, int size)
{
	struct user_path p;
	struct inode *ino;
	if (size <= 0)
		return -EINVAL;
	int err = user_path_get(user_path, &p, true);
	if (err)
		return err;
	if (!p.name[0]) { /* an empty path reads the link open at dirfd (O_PATH | O_NOFOLLOW), as Linux 5.x on */
		struct file *f = dirfd == AT_FDCWD ? NULL : current_file(dirfd);
		if (dirfd != AT_FDCWD && !f)
			return -EBADF;
		if (!f || !f->inode || !S_ISLNK(f->inode->mode))
			return -ENOENT;
		ino = f->inode;
	} else if ((err = lookup_at(dirfd, p.name, 0, &ino))) {
		return err;
	}
	if (!S_ISLNK(ino->mode))
		return -EINVAL;
	size_t n = strlen(ino->link_target);
	if (n > (size_t)size)
		n = (size_t)size;
	return copy_to_user(buf, ino->link_target, n) ? -EFAULT : (long)n;
}

long sys_readlink(const char *path, char *buf, int size) { return sys_readlinkat(AT_FDCWD, path, buf, size); }

long sys_faccessat2(int dirfd, const char *user_path, int mode, int flags)
{
	struct inode *ino;
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	/* Without AT_EACCESS the question is the real ids' (a set-user-id
	 * program asking for its user), as Linux's access_override_creds. */
	struct credentials real = *current_cred();
	if (!(flags & AT_EACCESS)) {
		real.fsuid = real.ruid;
		real.fsgid = real.rgid;
		capabilities_for_real_ids(&real);
	}
	int err = user_path ? inode_at_as(&real, dirfd, user_path, flags, &ino) : -EFAULT;
	if (err)
		return err;
	/* X_OK, W_OK and R_OK are MAY_EXEC, MAY_WRITE and MAY_READ. */
	err = inode_permission(&real, ino, mode);
	if (!err && (mode & W_OK) && inode_read_only(ino))
		err = -EROFS;
	return err;
}

long sys_faccessat(int dirfd, const char *path, int mode) { return sys_faccessat2(dirfd, path, mode, 0); }
long sys_access(const char *path, int mode) { return sys_faccessat2(AT_FDCWD, path, mode, 0); }

static long change_dir(struct inode *dir)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	int err = inode_permission(current_cred(), dir, MAY_EXEC);
	if (err)
		return err;
	struct fs_context *fs = current_process()->fs;
	inode_get(dir);
	inode_put(fs->cwd);
	fs->cwd = dir;
	return 0;
}

long sys_chdir(const char *user_path)
{
	struct user_path p;
	struct inode *dir;
	int err = user_path_get(user_path, &p, false);
	if (!err)
		err = lookup_at(AT_FDCWD, p.name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	return err ? err : change_dir(dir);
}

/* chroot: the caller's absolute paths and ".." stop at dir from now on; its
 * cwd stays where it is, as on Linux. It needs search permission on dir,
 * then root's privilege (CAP_SYS_CHROOT). */
long sys_chroot(const char *user_path)
{
	struct user_path p;
	struct inode *dir;
	int err = user_path_get(user_path, &p, false);
	if (!err)
		err = lookup_at(AT_FDCWD, p.name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (!err)
		err = inode_permission(current_cred(), dir, MAY_EXEC);
	if (err)
		return err;
	struct process *me = current_process();
	if (!capable(CAP_SYS_CHROOT))
		return -EPERM;
	inode_get(dir);
	inode_put(me->fs->root);
	me->fs->root = dir;
	return 0;
}

long sys_fchdir(int fd)
{
	struct file *f = current_file(fd);
	return f ? change_dir(f->inode) : -EBADF;
}

long sys_getcwd(char *buf, size_t size)
{
	char path[PATH_MAX_LEN];
	struct fs_context *fs = current_process()->fs;
	long len = vfs_dir_path(fs->root, fs->cwd, path, sizeof path);
	if (len < 0)
		return len;
	if ((size_t)len + 1 > size)
		return -ERANGE;
	return copy_to_user(buf, path, (size_t)len + 1) ? -EFAULT : len + 1;
}

long sys_truncate(const char *user_path, long length)
{
	struct user_path p;
	struct inode *ino;
	if (length < 0)
		return -EINVAL;
	int err = user_path_get(user_path, &p, false);
	if (!err)
		err = lookup_at(AT_FDCWD, p.name, LOOKUP_FOLLOW, &ino);
	if (err)
		return err;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode))
		return -EINVAL;
	err = inode_permission(current_cred(), ino, MAY_WRITE);
	if (!err && ino->executing)
		err = -ETXTBSY;
	if (!err)
		err = lease_break(ino, O_WRONLY);
	if (!err)
		err = inode_truncate(ino, (uint64_t)length);
	return err ? err : clear_setid_on_write(current_cred(), ino);
}

long sys_umask(unsigned mask)
{
	struct fs_context *fs = current_process()->fs;
	long old = fs->umask;
	fs->umask = mask & 0777;
	return old;
}
