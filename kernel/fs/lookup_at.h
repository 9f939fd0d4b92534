/* Lookups from the calling process's point of view: its descriptors, its
 * cwd, and a path relative to a directory it has open (the *at calls'
 * dirfd). */
#ifndef SOLE_LOOKUP_AT_H
#define SOLE_LOOKUP_AT_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"

/* The open file behind fd in the calling process, or NULL. */
struct file *current_file(int fd);
/* Where the calling process's absolute paths begin (its chroot). */
struct inode *current_root(void);
/* Whose permissions the calling process's file accesses check. */
const struct credentials *current_cred(void);
/* Lookups as the calling process: from its root, with its credentials. */
struct lookup_context current_lookup(void);
/* The folder dirfd names: the cwd for AT_FDCWD, else the directory open at
 * dirfd (EBADF, ENOTDIR). */
int dirfd_folder(int dirfd, struct inode **folder);
/* Where a path given with dirfd starts: the cwd for AT_FDCWD, the root for
 * absolute paths, else the directory open at dirfd. */
int dirfd_start(int dirfd, const char *path, struct inode **start);
/* vfs_lookup from dirfd, as the calling process. */
int lookup_at(int dirfd, const char *path, int flags, struct inode **out);
bool is_dot_or_dotdot(const char *name, size_t len);

#endif
