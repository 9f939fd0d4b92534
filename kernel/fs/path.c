/* Path resolution over the in-memory tree, with Linux's rules for ".",
 * "..", trailing slashes, symlinks (ELOOP after 40 in one lookup, nested
 * or one after another) and search permission, and openat2's RESOLVE_*
 * restrictions. A mount, for RESOLVE_NO_XDEV, is the in-memory tree or one
 * volume (/proc and /dev belong to the tree, as their st_dev says). */
#include <linux/openat2.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/volume.h"

#define RESOLVE_SCOPED (RESOLVE_BENEATH | RESOLVE_IN_ROOT)

static struct inode *root;

struct inode *vfs_root(void)
{
	if (!root) {
		root = inode_new(S_IFDIR | 0755);
		root->nlink = 2;
	}
	return root;
}

/* ".." of dir: it stays at the lookup's root, as it does at the real one. */
static struct inode *parent_of(struct inode *root, struct inode *dir)
{
	return dir != root && dir->dir.parent ? dir->dir.parent : root;
}

/* links counts the symlinks the whole lookup has followed. */
static int walk(struct lookup_context ctx, struct inode *start, const char *path, size_t len, int flags, int *links,
                struct inode **out);

static const struct volume *mount_of(const struct inode *ino) { return ino->volume ? ino->volume->volume : NULL; }

/* RESOLVE_NO_XDEV: a step from one mount to another is EXDEV. */
static int check_crossing(struct lookup_context ctx, const struct inode *from, const struct inode *to)
{
	return (ctx.resolve & RESOLVE_NO_XDEV) && mount_of(from) != mount_of(to) ? -EXDEV : 0;
}

static int follow_link(struct lookup_context ctx, struct inode *dir, struct inode *link, int flags, int *links,
                       struct inode **out)
{
	if (ctx.resolve & RESOLVE_NO_SYMLINKS)
		return -ELOOP;
	if (++*links > MAX_SYMLINKS)
		return -ELOOP;
	if (link->magic_target) {
		if (ctx.resolve & RESOLVE_NO_MAGICLINKS)
			return -ELOOP;
		if (ctx.resolve & RESOLVE_SCOPED)
			return -EXDEV; /* a jump that no scope can contain */
		int err = check_crossing(ctx, dir, link->magic_target);
		if (!err)
			*out = link->magic_target;
		return err;
	}
	const char *target = link->link_target;
	return walk(ctx, dir, target, strlen(target), flags | LOOKUP_FOLLOW, links, out);
}

static int walk(struct lookup_context ctx, struct inode *start, const char *path, size_t len, int flags, int *links,
                struct inode **out)
{
	if (len == 0)
		return -ENOENT;
	struct inode *cur = start;
	if (path[0] == '/') {
		if (ctx.resolve & RESOLVE_BENEATH)
			return -EXDEV;
		int err = check_crossing(ctx, start, ctx.root);
		if (err)
			return err;
		cur = ctx.root;
	}
	size_t i = 0;
	bool trailing_slash = path[len - 1] == '/';
	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t begin = i;
		while (i < len && path[i] != '/')
			i++;
		size_t clen = i - begin;
		const char *comp = path + begin;
		size_t rest = i;
		while (rest < len && path[rest] == '/')
			rest++;
		bool last = rest == len;
		if (!S_ISDIR(cur->mode))
			return -ENOTDIR;
		int err = inode_permission(ctx.cred, cur, MAY_EXEC);
		if (err)
			return err;
		if (clen > 255)
			return -ENAMETOOLONG;
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			if (cur == ctx.root && (ctx.resolve & RESOLVE_BENEATH))
				return -EXDEV;
			struct inode *up = parent_of(ctx.root, cur);
			if ((err = check_crossing(ctx, cur, up)))
				return err;
			cur = up;
			continue;
		}
		if ((ctx.resolve & RESOLVE_CACHED) && cur->volume && !cur->volume->complete)
			return -EAGAIN; /* its entries would come from the host */
		dir_refresh(cur);
		struct inode *child = dir_lookup(cur, comp, clen);
		if (!child)
			return -ENOENT;
		if ((err = check_crossing(ctx, cur, child)))
			return err;
		if (S_ISLNK(child->mode) && (!last || trailing_slash || (flags & LOOKUP_FOLLOW))) {
			int inner = last ? (flags & LOOKUP_DIRECTORY) : LOOKUP_DIRECTORY;
			err = follow_link(ctx, cur, child, inner, links, &child);
			if (err)
				return err;
		}
		cur = child;
	}
	if ((trailing_slash || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

int vfs_lookup(struct lookup_context ctx, struct inode *start, const char *path, int flags, struct inode **out)
{
	int links = 0;
	return walk(ctx, start, path, strlen(path), flags, &links, out);
}

int vfs_lookup_parent(struct lookup_context ctx, struct inode *start, const char *path, struct inode **parent,
                      const char **name, size_t *name_len)
{
	size_t len = strlen(path);
	if (len == 0)
		return -ENOENT;
	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t slash = len;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	*name = path + slash;
	*name_len = len - slash;
	if (*name_len == 0) /* "/" itself */
		return -EBUSY;
	if (*name_len > 255)
		return -ENAMETOOLONG;
	if (slash == 0) {
		*parent = start;
	} else {
		int links = 0;
		int err = walk(ctx, start, path, slash, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &links, parent);
		if (err)
			return err;
	}
	if (!S_ISDIR((*parent)->mode))
		return -ENOTDIR;
	return inode_permission(ctx.cred, *parent, MAY_EXEC);
}

long vfs_dir_path(struct inode *root, struct inode *dir, char *buf, size_t size)
{
	/* Build from the end of buf, then move to the front. */
	size_t at = size;
	if (at == 0)
		return -ERANGE;
	buf[--at] = 0;
	for (struct inode *d = dir; d != root && d->dir.parent; d = d->dir.parent) {
		size_t n = strlen(d->dir.name);
		if (at < n + 1)
			return -ERANGE;
		at -= n;
		memcpy(buf + at, d->dir.name, n);
		buf[--at] = '/';
	}
	if (at == size - 1) {
		if (at < 1)
			return -ERANGE;
		buf[--at] = '/';
	}
	size_t len = size - 1 - at;
	memmove(buf, buf + at, len + 1);
	return (long)len;
}

long vfs_absolute_path(struct inode *root, struct inode *start, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	if (path[0] != '/') {
		long n = vfs_dir_path(root, start, buf, size);
		if (n < 0)
			return n;
		len = n == 1 ? 0 : (size_t)n; /* "/" contributes nothing before the next "/" */
	}
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *end = p;
		while (*end && *end != '/')
			end++;
		size_t clen = (size_t)(end - p);
		if (clen == 0 || (clen == 1 && p[0] == '.')) {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && buf[--len] != '/')
				;
		} else {
			if (len + 1 + clen + 1 > size)
				return -ENAMETOOLONG;
			buf[len++] = '/';
			memcpy(buf + len, p, clen);
			len += clen;
		}
		p = end;
	}
	if (len == 0) {
		if (size < 2)
			return -ENAMETOOLONG;
		buf[len++] = '/';
	}
	buf[len] = 0;
	return (long)len;
}

void vfs_fill_stat(const struct inode *ino, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = 1;
	st->st_ino = ino->ino;
	st->st_nlink = ino->nlink ? ino->nlink : 1;
	st->st_mode = ino->mode;
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_rdev = ino->rdev;
	st->st_size = (long)ino->size;
	st->st_blksize = 4096;
	/* A file of the in-memory tree that owns its pages holds only those
	 * (a sparse file's holes take none); the rest count by their size. */
	bool owns_pages = S_ISREG(ino->mode) && !ino->volume && !ino->file.initrd_data && !ino->file.generate;
	st->st_blocks = owns_pages ? (long)(ino->file.owned_pages * (PAGE_SIZE / 512)) : (long)((ino->size + 511) / 512);
	st->st_atime = ino->atime.sec;
	st->st_atime_nsec = (unsigned long)ino->atime.nsec;
	st->st_mtime = ino->mtime.sec;
	st->st_mtime_nsec = (unsigned long)ino->mtime.nsec;
	st->st_ctime = ino->ctime.sec;
	st->st_ctime_nsec = (unsigned long)ino->ctime.nsec;
}
