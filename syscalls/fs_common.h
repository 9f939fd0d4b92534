/* Helpers shared by the file-system syscalls: copying the app's
 * paths and resolving the inode or parent directory an *at call names. */
#ifndef SOLE_FS_COMMON_H
#define SOLE_FS_COMMON_H

#include <stddef.h>

#include "kernel/fs/lookup_at.h"
#include "kernel/proc/process.h"

#define PATH_MAX_LEN 4096

struct user_path {
	char name[PATH_MAX_LEN];
};

/* Copies a path from the app: -EFAULT, -ENAMETOOLONG, or -ENOENT when empty
 * (unless empty_ok, for AT_EMPTY_PATH). */
int user_path_get(const char *user, struct user_path *out, bool empty_ok);
/* The inode an *at call names: the path from dirfd, following a final
 * symlink unless AT_SYMLINK_NOFOLLOW; an empty path with AT_EMPTY_PATH, or a
 * NULL path (utimensat), names dirfd itself (the cwd for AT_FDCWD). */
int inode_at(int dirfd, const char *user_path, int at_flags, struct inode **out);
/* As inode_at, searching directories with cred's permission. */
int inode_at_as(const struct credentials *cred, int dirfd, const char *user_path, int at_flags, struct inode **out);
/* The directory that holds the last component of a path, and that
 * component (*name, *len point into p). */
int parent_at(int dirfd, const char *user_path, struct user_path *p, struct inode **parent, const char **name,
              size_t *len);
/* As parent_at, for a name about to be created: -EEXIST when it exists,
 * -EACCES when the caller may not write the directory. */
int new_entry_at(int dirfd, const char *user_path, struct user_path *p, struct inode **parent, const char **name,
                 size_t *len);

#endif
