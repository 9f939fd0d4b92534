/* Linux's discretionary access control, see permission.h. The checks and
 * their order follow fs/namei.c and fs/attr.c (generic_permission,
 * may_delete, inode_init_owner, setattr_prepare, chown_ok, chgrp_ok), the
 * capabilities standing where Linux asks for them. */
#include "kernel/fs/permission.h"

#include <linux/capability.h>
#include <linux/xattr.h>
#include <string.h>

#include "kernel/errno.h"

bool cred_owns(const struct credentials *c, const struct inode *ino)
{
	return cred_capable(c, CAP_FOWNER) || c->fsuid == ino->uid;
}

static bool in_file_group(const struct credentials *c, uint32_t gid) { return cred_in_group(c, c->fsgid, gid); }

/* The mode bits alone: the owner's, else the group's when c is in the
 * file's group, else the others'. */
static bool mode_grants(const struct credentials *c, const struct inode *ino, int mask)
{
	uint32_t granted = ino->mode;
	if (c->fsuid == ino->uid)
		granted >>= 6;
	else if (in_file_group(c, ino->gid))
		granted >>= 3;
	return !((uint32_t)mask & ~granted & 07);
}

int inode_permission(const struct credentials *c, const struct inode *ino, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (c && mode_grants(c, ino, mask))
		return 0;
	if (S_ISDIR(ino->mode)) {
		if (!(mask & MAY_WRITE) && cred_capable(c, CAP_DAC_READ_SEARCH))
			return 0;
		return cred_capable(c, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if ((!(mask & MAY_EXEC) || (ino->mode & 0111)) && cred_capable(c, CAP_DAC_OVERRIDE))
		return 0;
	return mask == MAY_READ && cred_capable(c, CAP_DAC_READ_SEARCH) ? 0 : -EACCES;
}

int may_create(const struct credentials *c, const struct inode *dir)
{
	/* /proc answers ENOENT, as Linux's procfs; /dev/mqueue, which makes
	 * queues only (open's create_entry), EPERM, as Linux's mqueue. */
	if (dir->dir.kernel_entries)
		return dir->dir.create_entry ? -EPERM : -ENOENT;
	return inode_permission(c, dir, MAY_WRITE | MAY_EXEC);
}

int may_delete(const struct credentials *c, const struct inode *dir, const struct inode *victim)
{
	if (dir->dir.kernel_entries && !dir->dir.remove_entry)
		return -EPERM;
	int err = dir->dir.kernel_entries ? inode_permission(c, dir, MAY_WRITE | MAY_EXEC) : may_create(c, dir);
	if (err)
		return err;
	/* The sticky bit (/tmp): others' names stay, whoever may write the folder. */
	if ((dir->mode & S_ISVTX) && !cred_owns(c, victim) && c->fsuid != dir->uid)
		return -EPERM;
	return 0;
}

void inode_init_owner(const struct credentials *c, const struct inode *dir, struct inode *ino)
{
	ino->uid = c ? c->fsuid : 0;
	ino->gid = c ? c->fsgid : 0;
	if (dir->mode & S_ISGID) {
		ino->gid = dir->gid;
		if (S_ISDIR(ino->mode))
			ino->mode |= S_ISGID;
	}
	/* A file may only be set-group-id for a group its maker is in (or
	 * when it would not run as that group anyway: no group exec bit). */
	if (!S_ISDIR(ino->mode) && (ino->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !cred_capable(c, CAP_FSETID) &&
	    !in_file_group(c, ino->gid))
		ino->mode &= ~(uint32_t)S_ISGID;
}

int may_chmod(const struct credentials *c, const struct inode *ino, uint32_t *mode)
{
	if (!cred_owns(c, ino))
		return -EPERM;
	if (!cred_capable(c, CAP_FSETID) && !in_file_group(c, ino->gid))
		*mode &= ~(uint32_t)S_ISGID;
	return 0;
}

int may_chown(const struct credentials *c, const struct inode *ino, uint32_t uid, uint32_t gid)
{
	if (cred_capable(c, CAP_CHOWN))
		return 0;
	bool owner = c->fsuid == ino->uid;
	if (uid != (uint32_t)-1 && !(owner && uid == ino->uid))
		return -EPERM;
	if (gid != (uint32_t)-1 && !(owner && (gid == ino->gid || in_file_group(c, gid))))
		return -EPERM;
	return 0;
}

uint32_t setid_bits_dropped_by_chown(const struct credentials *c, const struct inode *ino)
{
	if (S_ISDIR(ino->mode))
		return 0;
	uint32_t drop = S_ISUID;
	if ((ino->mode & S_IXGRP) || (!cred_capable(c, CAP_FSETID) && !in_file_group(c, ino->gid)))
		drop |= S_ISGID;
	return ino->mode & drop;
}

int may_set_times(const struct credentials *c, const struct inode *ino, bool explicit_time, bool touch)
{
	if (cred_owns(c, ino))
		return 0;
	if (explicit_time)
		return -EPERM;
	return touch ? inode_permission(c, ino, MAY_WRITE) : 0;
}

int clear_setid_on_write(const struct credentials *c, struct inode *ino)
{
	if (!S_ISREG(ino->mode) || cred_capable(c, CAP_FSETID))
		return 0;
	uint32_t drop = setid_bits_dropped_by_chown(c, ino);
	if (!drop)
		return 0;
	ino->mode &= ~drop;
	return inode_commit_attrs(ino, INODE_ATTR_MODE);
}

static bool has_prefix(const char *name, const char *prefix) { return !strncmp(name, prefix, strlen(prefix)); }

int xattr_permission(const struct credentials *c, const struct inode *ino, const char *name, int mask)
{
	bool admin = cred_capable(c, CAP_SYS_ADMIN);
	if (has_prefix(name, XATTR_TRUSTED_PREFIX) && !admin)
		return mask & MAY_WRITE ? -EPERM : -ENODATA;
	if (has_prefix(name, XATTR_SECURITY_PREFIX))
		return (mask & MAY_WRITE) && !admin ? -EPERM : 0;
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		if (!S_ISREG(ino->mode) && !S_ISDIR(ino->mode))
			return 0; /* the namespace's own refusal (kernel/fs/xattr.c) comes first */
		if (S_ISDIR(ino->mode) && (ino->mode & S_ISVTX) && (mask & MAY_WRITE) && !cred_owns(c, ino))
			return -EPERM;
	}
	return inode_permission(c, ino, mask);
}
