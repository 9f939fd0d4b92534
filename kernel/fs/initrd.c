/* Builds the file tree from the initrd: directories, files served in place
 * from the archive, and symlinks. Parents missing from the archive are
 * created as 0755 directories. Times come from the headers, or to the
 * nanosecond from the side table (cpio_mtimes.h); a folder keeps its own
 * while its entries are added. */
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/cpio_mtimes.h"
#include "kernel/fs/vfs.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "platforms/console_wire.h"

#define PAD_ENTRY ".sole-pad"

/* The directory that will hold the last component of name, created on the
 * way as needed; *last gets the final component. */
static struct inode *make_parents(const char *name, size_t len, const char **last, size_t *last_len)
{
	struct inode *dir = vfs_root();
	size_t i = 0;
	for (;;) {
		size_t begin = i;
		while (i < len && name[i] != '/')
			i++;
		if (i == len) {
			*last = name + begin;
			*last_len = len - begin;
			return dir;
		}
		struct inode *next = dir_lookup(dir, name + begin, i - begin);
		if (!next) {
			next = inode_new(S_IFDIR | 0755);
			if (!next || dir_link(dir, name + begin, i - begin, next))
				return NULL;
			inode_put(next); /* the tree holds it now */
		}
		if (!S_ISDIR(next->mode))
			return NULL;
		dir = next;
		while (i < len && name[i] == '/')
			i++;
	}
}

static void set_times(struct inode *ino, struct kstat_time mtime) { ino->mtime = ino->atime = ino->ctime = mtime; }

static struct inode *node_for(const struct cpio_entry *e, struct kstat_time mtime)
{
	struct inode *ino = inode_new(e->mode);
	if (!ino)
		return NULL;
	ino->uid = e->uid;
	ino->gid = e->gid;
	set_times(ino, mtime);
	if (S_ISREG(e->mode)) {
		inode_set_initrd_data(ino, e->data, e->size);
	} else if (S_ISLNK(e->mode)) {
		ino->link_target = kmalloc(e->size + 1);
		if (!ino->link_target)
			return NULL;
		memcpy(ino->link_target, e->data, e->size);
		ino->link_target[e->size] = 0;
		ino->size = e->size;
	}
	return ino;
}

static int add_entry(const struct cpio_entry *e, struct kstat_time mtime)
{
	const char *name = e->name;
	size_t len = e->name_len;
	while (len && (name[0] == '/' || (name[0] == '.' && (len == 1 || name[1] == '/')))) {
		name++;
		len--;
	}
	if (len == 0)
		return 0; /* "." or "/": the root */
	const char *last;
	size_t last_len;
	struct inode *dir = make_parents(name, len, &last, &last_len);
	if (!dir)
		return -ENOTDIR;
	struct inode *existing = dir_lookup(dir, last, last_len);
	if (existing && S_ISDIR(existing->mode) && S_ISDIR(e->mode)) {
		existing->mode = e->mode; /* an explicit entry after an implied one */
		set_times(existing, mtime);
		return 0;
	}
	if (!S_ISDIR(e->mode) && !S_ISREG(e->mode) && !S_ISLNK(e->mode)) {
		klog("initrd: skipping %.*s (mode %o)", (int)e->name_len, e->name, e->mode);
		return 0;
	}
	struct inode *ino = node_for(e, mtime);
	if (!ino)
		return -ENOMEM;
	struct kstat_time kept = dir->mtime; /* the folder's time, not the boot's */
	if (existing)
		dir_unlink(dir, last, last_len); /* later entries win */
	int err = dir_link(dir, last, last_len, ino);
	set_times(dir, kept);
	inode_put(ino);
	return err;
}

int initrd_populate(const uint8_t *archive, size_t size, const uint8_t **boot_config, size_t *boot_config_len)
{
	struct cpio_reader reader = {archive, size, 0};
	struct cpio_mtimes mtimes = {NULL, NULL};
	struct cpio_entry e;
	int r;
	size_t count = 0;
	*boot_config = NULL;
	*boot_config_len = 0;
	while ((r = cpio_next(&reader, &e)) == 1) {
		if (e.name_len == strlen(PAD_ENTRY) && !memcmp(e.name, PAD_ENTRY, e.name_len))
			continue;
		if (e.name_len == strlen(BOOT_CONFIG_PATH) && !memcmp(e.name, BOOT_CONFIG_PATH, e.name_len)) {
			*boot_config = e.data;
			*boot_config_len = e.size;
			continue;
		}
		if (e.name_len == strlen(CPIO_MTIMES_NAME) && !memcmp(e.name, CPIO_MTIMES_NAME, e.name_len)) {
			mtimes = (struct cpio_mtimes){(const char *)e.data, (const char *)e.data + e.size};
			continue;
		}
		struct kstat_time mtime = {e.mtime, 0};
		cpio_mtimes_take(&mtimes, e.name, e.name_len, &mtime.sec, &mtime.nsec);
		int err = add_entry(&e, mtime);
		if (err) {
			kwarn("initrd: cannot add %.*s (error %d)", (int)e.name_len, e.name, -err);
			return err;
		}
		count++;
	}
	if (r < 0) {
		kwarn("initrd: malformed cpio archive at byte %zu", reader.pos);
		return -EINVAL;
	}
	klog("initrd: %zu entries, %zu bytes", count, size);
	return 0;
}
