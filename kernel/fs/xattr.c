/* Extended attributes of the in-memory tree (the initrd image and its
 * tmpfs overlay), see xattr.h. Each inode keeps a list in the order the
 * names were first set: a file has a handful (cp -a, capabilities, a
 * desktop's user.* tags), so a list walked per call stays cheap. A volume's
 * files answer as a file system without xattrs: no names, EOPNOTSUPP. */
#include "kernel/fs/xattr.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/mm/heap.h"

struct xattr {
	struct xattr *next;
	size_t size;
	char *name; /* after the value, in the same allocation */
	uint8_t value[];
};

static bool has_prefix(const char *name, const char *prefix) { return !strncmp(name, prefix, strlen(prefix)); }

/* Linux's order of checks: the user. namespace is only for regular files
 * and directories (EPERM to write, ENODATA to read elsewhere); then the
 * namespace must be one the file system knows, with a name after it. */
static int check_name(const struct inode *ino, const char *name, bool write)
{
	if (has_prefix(name, XATTR_USER_PREFIX) && !S_ISREG(ino->mode) && !S_ISDIR(ino->mode))
		return write ? -EPERM : -ENODATA;
	static const char *const namespaces[] = {XATTR_USER_PREFIX, XATTR_TRUSTED_PREFIX, XATTR_SECURITY_PREFIX};
	for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++)
		if (has_prefix(name, namespaces[i]))
			return ino->volume ? -EOPNOTSUPP : name[strlen(namespaces[i])] ? 0 : -EINVAL;
	return -EOPNOTSUPP;
}

static struct xattr **find(struct inode *ino, const char *name)
{
	struct xattr **at = &ino->xattrs;
	while (*at && strcmp((*at)->name, name))
		at = &(*at)->next;
	return at;
}

int xattr_set(struct inode *ino, const char *name, const void *value, size_t size, int flags)
{
	if (inode_read_only(ino))
		return -EROFS;
	int err = check_name(ino, name, true);
	if (err)
		return err;
	struct xattr **at = find(ino, name);
	if (*at && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!*at && (flags & XATTR_REPLACE))
		return -ENODATA;
	size_t name_len = strlen(name);
	struct xattr *x = kmalloc(sizeof *x + size + name_len + 1);
	if (!x)
		return -ENOMEM;
	x->size = size;
	memcpy(x->value, value, size);
	x->name = (char *)x->value + size;
	memcpy(x->name, name, name_len + 1);
	/* A new value keeps the name's place in the list. */
	struct xattr *old = *at;
	x->next = old ? old->next : NULL;
	*at = x;
	kfree(old);
	inode_touch(ino, false);
	inotify_event(ino, IN_ATTRIB);
	return 0;
}

long xattr_get(struct inode *ino, const char *name, struct iobuf out, size_t size)
{
	int err = check_name(ino, name, false);
	if (err)
		return err;
	struct xattr *x = *find(ino, name);
	if (!x)
		return -ENODATA;
	if (size && size < x->size)
		return -ERANGE;
	if (size && iobuf_put(out, 0, x->value, x->size))
		return -EFAULT;
	return (long)x->size;
}

static bool listed(const struct xattr *x, bool with_trusted)
{
	return with_trusted || !has_prefix(x->name, XATTR_TRUSTED_PREFIX);
}

long xattr_list(struct inode *ino, bool with_trusted, struct iobuf out, size_t size)
{
	size_t len = 0;
	for (struct xattr *x = ino->xattrs; x; x = x->next)
		if (listed(x, with_trusted))
			len += strlen(x->name) + 1;
	if (!size)
		return (long)len;
	if (size < len)
		return -ERANGE;
	size_t at = 0;
	for (struct xattr *x = ino->xattrs; x; x = x->next) {
		if (!listed(x, with_trusted))
			continue;
		size_t n = strlen(x->name) + 1;
		if (iobuf_put(out, at, x->name, n))
			return -EFAULT;
		at += n;
	}
	return (long)len;
}

int xattr_remove(struct inode *ino, const char *name)
{
	if (inode_read_only(ino))
		return -EROFS;
	int err = check_name(ino, name, true);
	if (err)
		return err;
	struct xattr **at = find(ino, name);
	struct xattr *x = *at;
	if (!x)
		return -ENODATA;
	*at = x->next;
	kfree(x);
	inode_touch(ino, false);
	inotify_event(ino, IN_ATTRIB);
	return 0;
}

void xattr_drop_all(struct inode *ino)
{
	while (ino->xattrs) {
		struct xattr *x = ino->xattrs;
		ino->xattrs = x->next;
		kfree(x);
	}
}
