/* A volume's names and attributes, see volume.h: inodes made from the
 * host's, directories loaded whole at their first use, and each change of
 * the tree sent to the host first. */
#include "kernel/fs/volume.h"

#include <asm/statfs.h>
#include <linux/fcntl.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/ninep.h"
#include "kernel/mm/heap.h"

#define V9FS_MAGIC 0x01021997

static struct ninep_channel *channel_of(const struct inode *ino) { return ino->volume->volume->channel; }

static void set_time(struct kstat_time *t, int64_t sec, long nsec)
{
	t->sec = sec;
	t->nsec = nsec;
}

static struct {
	bool on;
	uint32_t host_uid, host_gid, app_uid, app_gid;
} owner_map;

void volume_map_owner(uint32_t host_uid, uint32_t host_gid, uint32_t app_uid, uint32_t app_gid)
{
	owner_map.on = true;
	owner_map.host_uid = host_uid;
	owner_map.host_gid = host_gid;
	owner_map.app_uid = app_uid;
	owner_map.app_gid = app_gid;
}

/* An id between the host's side and the VM's (to_vm) under the map. */
static uint32_t map_id(uint32_t id, uint32_t host, uint32_t app, bool to_vm)
{
	if (!owner_map.on)
		return id;
	if (to_vm)
		return id == host ? app : id;
	return id == app ? host : id;
}

/* The host's attributes, but the link count: the tree keeps that one. */
static void take_attrs(struct inode *ino, const struct ninep_attr *a)
{
	ino->mode = a->mode;
	ino->uid = map_id(a->uid, owner_map.host_uid, owner_map.app_uid, true);
	ino->gid = map_id(a->gid, owner_map.host_gid, owner_map.app_gid, true);
	ino->rdev = (uint32_t)a->rdev;
	ino->size = S_ISDIR(a->mode) ? 4096 : a->size;
	set_time(&ino->atime, a->atime_sec, a->atime_nsec);
	set_time(&ino->mtime, a->mtime_sec, a->mtime_nsec);
	set_time(&ino->ctime, a->ctime_sec, a->ctime_nsec);
}

static struct volume_inode *volume_part(struct volume *v, uint32_t fid)
{
	struct volume_inode *vi = kzalloc(sizeof *vi);
	if (vi) {
		vi->volume = v;
		vi->fid = fid;
	}
	return vi;
}

struct inode *volume_inode_new(struct volume *v, uint32_t fid)
{
	struct ninep_attr a;
	struct inode *ino = ninep_getattr(v->channel, fid, &a) ? NULL : inode_new(a.mode);
	struct volume_inode *vi = ino ? volume_part(v, fid) : NULL;
	if (!vi) {
		if (ino)
			inode_put(ino);
		ninep_clunk(v->channel, fid);
		return NULL;
	}
	ino->volume = vi;
	take_attrs(ino, &a);
	ino->nlink = (uint32_t)a.nlink;
	if (S_ISDIR(a.mode))
		ino->dir.refresh = volume_load_dir;
	if (S_ISLNK(a.mode)) {
		if (ninep_readlink(v->channel, fid, &ino->link_target)) {
			inode_put(ino); /* clunks the fid */
			return NULL;
		}
		ino->size = strlen(ino->link_target);
	}
	return ino;
}

static bool cached(const struct inode *dir, const char *name, size_t len)
{
	for (const struct dentry *d = dir->dir.children; d; d = d->next)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return true;
	return false;
}

/* The names of a directory, collected before any of them is walked (the
 * walks reuse the buffer the listing arrived in). */
struct name_list {
	char **names;
	size_t count, room;
};

static int collect(void *ctx, const struct ninep_qid *qid, uint8_t type, const char *name, size_t len)
{
	(void)qid, (void)type;
	struct name_list *list = ctx;
	if (list->count == list->room) {
		size_t room = list->room ? 2 * list->room : 64;
		char **grown = kmalloc(room * sizeof *grown);
		if (!grown)
			return -ENOMEM;
		if (list->count)
			memcpy(grown, list->names, list->count * sizeof *grown);
		kfree(list->names);
		list->names = grown;
		list->room = room;
	}
	char *copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, name, len);
	copy[len] = 0;
	list->names[list->count++] = copy;
	return 0;
}

static int list_names(struct inode *dir, struct name_list *list)
{
	struct ninep_channel *c = channel_of(dir);
	uint32_t fid;
	int err = ninep_walk(c, dir->volume->fid, NULL, 0, &fid);
	if (err)
		return err;
	err = ninep_lopen(c, fid, O_RDONLY);
	if (!err)
		err = ninep_readdir(c, fid, collect, list);
	ninep_clunk(c, fid);
	return err;
}

/* An entry the host has: walked, its attributes taken, and cached. */
static void load_entry(struct inode *dir, const char *name)
{
	struct volume *v = dir->volume->volume;
	uint32_t fid;
	size_t len = strlen(name);
	if (cached(dir, name, len) || ninep_walk(v->channel, dir->volume->fid, name, len, &fid))
		return;
	struct inode *ino = volume_inode_new(v, fid);
	if (!ino)
		return;
	dentry_insert(dir, name, len, ino);
	inode_put(ino);
}

void volume_load_dir(struct inode *dir)
{
	if (dir->volume->complete)
		return;
	struct name_list list = {0};
	int err = list_names(dir, &list);
	for (size_t i = 0; i < list.count; i++) {
		if (!err)
			load_entry(dir, list.names[i]);
		kfree(list.names[i]);
	}
	kfree(list.names);
	dir->volume->complete = !err;
}

static int writable_dir(const struct inode *dir)
{
	if (!dir->volume)
		return -EXDEV;
	return dir->volume->volume->read_only ? -EROFS : 0;
}

/* Makes the host's object for a child new to the tree, by its type. */
static int create_on_host(struct inode *dir, const char *name, size_t len, struct inode *child, uint32_t *io_fid)
{
	struct ninep_channel *c = channel_of(dir);
	uint32_t dfid = dir->volume->fid, mode = child->mode & 07777;
	switch (child->mode & S_IFMT) {
	case S_IFREG: {
		uint32_t fid;
		int err = ninep_walk(c, dfid, NULL, 0, &fid);
		if (err)
			return err;
		err = ninep_lcreate(c, fid, name, len, O_RDWR | O_CREAT | O_EXCL, mode);
		if (err)
			ninep_clunk(c, fid);
		else
			*io_fid = fid;
		return err;
	}
	case S_IFDIR:
		return ninep_mkdir(c, dfid, name, len, mode);
	case S_IFLNK:
		return ninep_symlink(c, dfid, name, len, child->link_target);
	case S_IFIFO:
	case S_IFSOCK:
		return ninep_mknod(c, dfid, name, len, child->mode);
	default:
		return -EPERM;
	}
}

int volume_link(struct inode *dir, const char *name, size_t len, struct inode *child)
{
	int err = writable_dir(dir);
	if (err)
		return err;
	struct volume *v = dir->volume->volume;
	if (child->volume)
		return child->volume->volume != v
		           ? -EXDEV
		           : ninep_link(v->channel, dir->volume->fid, child->volume->fid, name, len);
	if (S_ISDIR(child->mode) ? child->dir.name != NULL : child->nlink != 0)
		return -EXDEV; /* already in the in-memory tree: a new one has no name yet */
	uint32_t io_fid = 0, fid;
	err = create_on_host(dir, name, len, child, &io_fid);
	if (err)
		return err;
	struct ninep_attr a;
	err = ninep_walk(v->channel, dir->volume->fid, name, len, &fid);
	if (!err && (err = ninep_getattr(v->channel, fid, &a)))
		ninep_clunk(v->channel, fid);
	if (!err && !(child->volume = volume_part(v, fid))) {
		ninep_clunk(v->channel, fid);
		err = -ENOMEM;
	}
	if (err) {
		if (io_fid)
			ninep_clunk(v->channel, io_fid);
		return err;
	}
	take_attrs(child, &a);
	child->volume->io_fid = io_fid;
	child->volume->io_writable = io_fid != 0;
	if (S_ISDIR(child->mode)) {
		child->dir.refresh = volume_load_dir;
		child->volume->complete = true; /* new, so empty */
	}
	return 0;
}

int volume_unlink(struct inode *dir, const char *name, size_t len, struct inode *victim)
{
	int err = writable_dir(dir);
	return err ? err : ninep_unlinkat(channel_of(dir), dir->volume->fid, name, len, S_ISDIR(victim->mode));
}

int volume_rename(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
                  size_t newlen)
{
	int err = writable_dir(olddir);
	if (!err)
		err = writable_dir(newdir);
	if (!err && olddir->volume->volume != newdir->volume->volume)
		err = -EXDEV;
	return err ? err
	           : ninep_renameat(channel_of(olddir), olddir->volume->fid, oldname, oldlen, newdir->volume->fid,
	                            newname, newlen);
}

bool volume_read_only(const struct inode *ino) { return ino->volume->volume->read_only; }

int volume_commit_attrs(struct inode *ino, unsigned changed)
{
	if (volume_read_only(ino))
		return -EROFS;
	struct ninep_setattr a = {0};
	if (changed & INODE_ATTR_MODE) {
		a.valid |= NINEP_SETATTR_MODE;
		a.mode = ino->mode & 07777;
	}
	if (changed & INODE_ATTR_OWNER) {
		a.valid |= NINEP_SETATTR_UID | NINEP_SETATTR_GID;
		a.uid = map_id(ino->uid, owner_map.host_uid, owner_map.app_uid, false);
		a.gid = map_id(ino->gid, owner_map.host_gid, owner_map.app_gid, false);
	}
	if (changed & INODE_ATTR_TIMES) {
		a.valid |=
		    NINEP_SETATTR_ATIME | NINEP_SETATTR_ATIME_SET | NINEP_SETATTR_MTIME | NINEP_SETATTR_MTIME_SET;
		a.atime_sec = ino->atime.sec;
		a.atime_nsec = ino->atime.nsec;
		a.mtime_sec = ino->mtime.sec;
		a.mtime_nsec = ino->mtime.nsec;
	}
	return a.valid ? ninep_setattr(channel_of(ino), ino->volume->fid, &a) : 0;
}

int volume_statfs(struct inode *ino, struct statfs *st)
{
	struct ninep_statfs s;
	int err = ninep_statfs(channel_of(ino), ino->volume->fid, &s);
	if (err)
		return err;
	memset(st, 0, sizeof *st);
	st->f_type = V9FS_MAGIC;
	st->f_bsize = s.bsize;
	st->f_frsize = s.bsize;
	st->f_blocks = s.blocks;
	st->f_bfree = s.bfree;
	st->f_bavail = s.bavail;
	st->f_files = s.files;
	st->f_ffree = s.ffree;
	st->f_fsid.val[0] = (int)(uint32_t)s.fsid;
	st->f_fsid.val[1] = (int)(uint32_t)(s.fsid >> 32);
	st->f_namelen = s.namelen;
	if (volume_read_only(ino))
		st->f_flags = 1; /* ST_RDONLY */
	return 0;
}

void volume_forget(struct inode *ino)
{
	struct volume_inode *vi = ino->volume;
	if (S_ISREG(ino->mode))
		volume_cache_drop(ino);
	ninep_clunk(vi->volume->channel, vi->fid);
	if (vi->io_fid)
		ninep_clunk(vi->volume->channel, vi->io_fid);
	kfree(vi);
	ino->volume = NULL;
}
