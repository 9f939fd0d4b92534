/* Linux's discretionary access control on the tree's inodes: the mode bits
 * checked against a caller's filesystem uid, gid and supplementary groups;
 * the sticky directory rule; who may change a file's mode, owner and times;
 * and the owner and set-id bits that new and written files get. The
 * caller's capabilities override them as on Linux: CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_CHOWN, CAP_FSETID and CAP_SYS_ADMIN
 * (which the fsuid leaving 0 drops, kernel/security/capability.c). A NULL
 * credentials pointer is the kernel itself, which holds every one. */
#ifndef SOLE_PERMISSION_H
#define SOLE_PERMISSION_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/vfs.h"
#include "kernel/proc/credentials.h"

#define MAY_EXEC 0x1
#define MAY_WRITE 0x2
#define MAY_READ 0x4

/* The owner of ino, or CAP_FOWNER (Linux's inode_owner_or_capable). */
bool cred_owns(const struct credentials *c, const struct inode *ino);

/* 0 or -EACCES for mask (MAY_*) on ino: the owner's bits, else the group's
 * when the caller is in the file's group, else the others'. Then
 * CAP_DAC_READ_SEARCH reads any file and searches any directory, and
 * CAP_DAC_OVERRIDE passes everything but executing a non-directory that
 * has no x bit at all. */
int inode_permission(const struct credentials *c, const struct inode *ino, int mask);

/* Making a name in dir: write and search permission on it. */
int may_create(const struct credentials *c, const struct inode *dir);
/* Removing victim's name from dir (unlink, rmdir, rename's either side):
 * write and search on dir (-EACCES), and in a sticky directory ownership
 * of victim or dir (-EPERM). */
int may_delete(const struct credentials *c, const struct inode *dir, const struct inode *victim);

/* A new inode made in dir: it belongs to the caller's fsuid, and to its
 * fsgid or, below a set-group-id directory, to the directory's group (a
 * new directory inherits the bit too). A new file of a group the caller
 * is not in loses its own S_ISGID, as on Linux. */
void inode_init_owner(const struct credentials *c, const struct inode *dir, struct inode *ino);

/* chmod: -EPERM unless owner or CAP_FOWNER; S_ISGID leaves *mode when a
 * caller without CAP_FSETID is not in the file's group. */
int may_chmod(const struct credentials *c, const struct inode *ino, uint32_t *mode);
/* chown with -1 for "unchanged": CAP_CHOWN may give any owner; the owner may
 * only keep its uid and pick one of its groups; others get -EPERM. */
int may_chown(const struct credentials *c, const struct inode *ino, uint32_t uid, uint32_t gid);
/* The set-id bits a change of owner clears from a non-directory: S_ISUID,
 * and S_ISGID when group-exec is set or a caller without CAP_FSETID is not in the
 * file's group (Linux's setattr_should_drop_sgid). */
uint32_t setid_bits_dropped_by_chown(const struct credentials *c, const struct inode *ino);
/* utimes: setting both times to now needs ownership or write permission
 * (-EACCES); setting either to a given time needs ownership (-EPERM). */
int may_set_times(const struct credentials *c, const struct inode *ino, bool explicit_time, bool touch);
/* A write or truncate by a caller without CAP_FSETID clears a regular file's
 * S_ISUID, and S_ISGID as a chown would (Linux's file_remove_privs). */
int clear_setid_on_write(const struct credentials *c, struct inode *ino);
/* Reading (MAY_READ) or changing (MAY_WRITE) an extended attribute:
 * trusted.* needs CAP_SYS_ADMIN (EPERM to write, ENODATA to read),
 * security.* needs it to write, and user.* follows the file's permission, except that a
 * sticky directory's are its owner's. */
int xattr_permission(const struct credentials *c, const struct inode *ino, const char *name, int mask);

#endif
