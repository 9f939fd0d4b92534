/* Extended attributes (kernel/fs/xattr.c): name and value pairs kept with
 * an inode of the in-memory tree, in the user., trusted. and security.
 * namespaces, with Linux's (tmpfs's) rules and errors. */
#ifndef SOLE_XATTR_H
#define SOLE_XATTR_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/limits.h>
#include <linux/xattr.h>

#include "kernel/fs/vfs.h"
#include "kernel/mm/iobuf.h"

/* name is NUL-terminated, 1 to XATTR_NAME_MAX bytes (the syscall checks);
 * value is size bytes, at most XATTR_SIZE_MAX. flags: XATTR_CREATE,
 * XATTR_REPLACE. 0 or -errno. */
int xattr_set(struct inode *ino, const char *name, const void *value, size_t size, int flags);
/* The value's length; with size > 0 also the value, copied to out (-ERANGE
 * when it does not fit). */
long xattr_get(struct inode *ino, const char *name, struct iobuf out, size_t size);
/* Every name, each followed by a NUL, as listxattr gives them: the list's
 * length; with size > 0 also the list (-ERANGE when it does not fit).
 * trusted.* names are left out unless with_trusted (the caller is root). */
long xattr_list(struct inode *ino, bool with_trusted, struct iobuf out, size_t size);
int xattr_remove(struct inode *ino, const char *name);
/* The inode is going: frees its attributes. */
void xattr_drop_all(struct inode *ino);

#endif
