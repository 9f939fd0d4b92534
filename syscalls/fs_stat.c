/* stat, fstat, lstat, newfstatat, statx, statfs and fstatfs, and the old
 * ustat and sysfs (file system statistics and types). */
#include <asm/statfs.h>
#include <linux/fcntl.h>
#include <linux/magic.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/fs_types.h"
#include "kernel/fs/volume.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "syscalls/fs_common.h"

#define ST_NOSUID_FLAG 0x2

/* The inode a stat-like call names; stat takes no NULL path. */
static int stat_target(int dirfd, const char *user_path, int flags, struct inode **out)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	return user_path ? inode_at(dirfd, user_path, flags, out) : -EFAULT;
}

static long copy_stat(const struct inode *ino, struct stat *user_st)
{
	struct stat st;
	vfs_fill_stat(ino, &st);
	return copy_to_user(user_st, &st, sizeof st) ? -EFAULT : 0;
}

long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct inode *ino;
	int err = stat_target(dirfd, path, flags, &ino);
	return err ? err : copy_stat(ino, st);
}

long sys_stat(const char *path, struct stat *st) { return sys_newfstatat(AT_FDCWD, path, st, 0); }
long sys_lstat(const char *path, struct stat *st) { return sys_newfstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW); }

long sys_fstat(int fd, struct stat *st)
{
	struct file *f = current_file(fd);
	return f ? copy_stat(f->inode, st) : -EBADF;
}

static struct statx_timestamp statx_time(const struct kstat_time *t)
{
	return (struct statx_timestamp){.tv_sec = t->sec, .tv_nsec = (uint32_t)t->nsec};
}

long sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *user_stx)
{
	(void)mask; /* the basic fields are always filled, as Linux may */
	struct inode *ino;
	int err = stat_target(dirfd, path, flags, &ino);
	if (err)
		return err;
	struct statx stx;
	memset(&stx, 0, sizeof stx);
	stx.stx_mask = STATX_BASIC_STATS;
	stx.stx_blksize = 4096;
	stx.stx_nlink = ino->nlink ? ino->nlink : 1;
	stx.stx_uid = ino->uid;
	stx.stx_gid = ino->gid;
	stx.stx_mode = (uint16_t)ino->mode;
	stx.stx_ino = ino->ino;
	stx.stx_size = ino->size;
	stx.stx_blocks = (ino->size + 511) / 512;
	stx.stx_atime = statx_time(&ino->atime);
	stx.stx_mtime = statx_time(&ino->mtime);
	stx.stx_ctime = statx_time(&ino->ctime);
	stx.stx_rdev_major = ino->rdev >> 8;
	stx.stx_rdev_minor = ino->rdev & 0xff;
	stx.stx_dev_major = 0;
	stx.stx_dev_minor = 1;
	return copy_to_user(user_stx, &stx, sizeof stx) ? -EFAULT : 0;
}

/* A volume asks its host; the in-memory tree reports itself as tmpfs,
 * sized by RAM. */
static long copy_statfs(struct inode *ino, struct statfs *user_buf)
{
	struct statfs st;
	if (ino && ino->volume) {
		int err = volume_statfs(ino, &st);
		return err ? err : copy_to_user(user_buf, &st, sizeof st) ? -EFAULT : 0;
	}
	memset(&st, 0, sizeof st);
	st.f_type = TMPFS_MAGIC;
	st.f_bsize = PAGE_SIZE;
	st.f_frsize = PAGE_SIZE;
	st.f_blocks = page_total_count();
	st.f_bfree = st.f_bavail = page_free_count();
	st.f_files = page_total_count();
	st.f_ffree = page_free_count();
	st.f_namelen = 255;
	st.f_flags = ST_NOSUID_FLAG;
	return copy_to_user(user_buf, &st, sizeof st) ? -EFAULT : 0;
}

long sys_statfs(const char *user_path, struct statfs *buf)
{
	struct user_path p;
	struct inode *ino;
	int err = user_path_get(user_path, &p, false);
	if (!err)
		err = lookup_at(AT_FDCWD, p.name, LOOKUP_FOLLOW, &ino);
	return err ? err : copy_statfs(ino, buf);
}

long sys_fstatfs(int fd, struct statfs *buf)
{
	struct file *f = current_file(fd);
	return f ? copy_statfs(f->inode, buf) : -EBADF;
}

/* Linux's struct ustat (not in the uapi headers). */
struct ustat_info {
	int f_tfree;
	unsigned long f_tinode;
	char f_fname[6];
	char f_fpack[6];
};

/* ustat: free blocks and inodes of the file system on dev; the in-memory
 * tree (st_dev 1) is the one ustat can name, as it names no volume's. */
long sys_ustat(unsigned dev, void *user_buf)
{
	if (dev != 1)
		return -EINVAL;
	struct ustat_info u = {.f_tfree = (int)page_free_count(), .f_tinode = page_free_count()};
	return copy_to_user(user_buf, &u, sizeof u) ? -EFAULT : 0;
}

/* sysfs(2): option 1 turns a type's name into its index, 2 an index into
 * its name, 3 counts the types (fs_types.h). */
long sys_sysfs(int option, unsigned long arg1, unsigned long arg2)
{
	if (option == 1) {
		char name[64];
		long n = strncpy_from_user(name, (const char *)arg1, sizeof name);
		if (n < 0)
			return n;
		for (int i = 0; i < fs_type_count; i++)
			if (!strcmp(name, fs_type_names[i]))
				return i;
		return -EINVAL;
	}
	if (option == 2) {
		if (arg1 >= (unsigned long)fs_type_count)
			return -EINVAL;
		const char *name = fs_type_names[arg1];
		return copy_to_user((void *)arg2, name, strlen(name) + 1) ? -EFAULT : 0;
	}
	return option == 3 ? fs_type_count : -EINVAL;
}
