/* Mounting the volumes at boot: each spec of the boot configuration names
 * a virtio-9p mount tag and a path; the host folder's root is attached and
 * linked there, over an empty folder or in place of a missing one (a
 * single-file volume's one file takes the place of the file there). A volume
 * at "/" (sole run --rootfs) becomes the tree's root instead; a volume over
 * a folder of that image hides it, as a mount does, and leaves it on the
 * host. */
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/ninep.h"
#include "kernel/fs/volume.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"

/* The folder that will hold the last component of path, made on the way
 * as needed; *name and *len get that component. */
static int make_parents(const char *path, struct inode **parent, const char **name, size_t *len)
{
	struct inode *dir = vfs_root();
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = p;
		while (*end && *end != '/')
			end++;
		const char *next = end;
		while (*next == '/')
			next++;
		if (!*next) {
			*parent = dir;
			*name = p;
			*len = (size_t)(end - p);
			return *len ? 0 : -EINVAL;
		}
		struct inode *child = dir_lookup(dir, p, (size_t)(end - p));
		if (!child) {
			child = inode_new(S_IFDIR | 0755);
			if (!child)
				return -ENOMEM;
			child->nlink = 1;
			int err = dir_link(dir, p, (size_t)(end - p), child);
			inode_put(child);
			if (err)
				return err;
		}
		if (!S_ISDIR(child->mode))
			return -ENOTDIR;
		dir = child;
		p = next;
	}
}

/* sole's own folders, which hide an image's of the same name. */
static bool sole_own_folder(const char *name)
{
	return !strcmp(name, "dev") || !strcmp(name, "proc") || !strcmp(name, "tmp");
}

/* The host's entry name in dir (a volume folder), walked to now, or NULL. */
static struct inode *host_entry(struct inode *dir, const char *name)
{
	struct volume *v = dir->volume->volume;
	uint32_t fid;
	if (ninep_walk(v->channel, dir->volume->fid, name, strlen(name), &fid))
		return NULL;
	return volume_inode_new(v, fid);
}

/* Moves the entries of copied (an initrd folder, what --copy made) into
 * dir, the image's folder of the same place: a folder the image has too is
 * merged in turn, anything else hides the image's entry of its name. Only
 * the VM's tree changes; the image stays as it is on the host. */
static void merge_into(struct inode *dir, struct inode *copied)
{
	while (copied->dir.children) {
		struct dentry *d = copied->dir.children;
		size_t len = strlen(d->name);
		char name[256];
		memcpy(name, d->name, len + 1);
		struct inode *child = d->inode;
		inode_get(child);
		dentry_remove(copied, name, len);
		struct inode *host = S_ISDIR(child->mode) ? host_entry(dir, name) : NULL;
		struct inode *placed = host && S_ISDIR(host->mode) ? host : child;
		if (placed == host)
			merge_into(host, child);
		/* dir is fresh, none of its entries loaded: the host's of this
		 * name will not be, being cached already (volume_load_dir) */
		if (dentry_insert(dir, name, len, placed))
			klog("volume: out of memory placing the copied %s", name);
		if (host)
			inode_put(host);
		inode_put(child);
	}
}

/* The tree's root takes over the volume's root: the host folder's entries
 * appear under it, after what the initrd put there. sole's own /dev, /proc
 * and /tmp hide the host's entries of the same names; the other folders
 * the initrd made (--copy over an image) are merged into the image's. */
static void become_root(struct inode *volume_root)
{
	struct inode *root = vfs_root();
	root->volume = volume_root->volume;
	volume_root->volume = NULL; /* its fid now belongs to the root */
	root->mode = volume_root->mode;
	root->uid = volume_root->uid;
	root->gid = volume_root->gid;
	root->atime = volume_root->atime;
	root->mtime = volume_root->mtime;
	root->ctime = volume_root->ctime;
	root->dir.refresh = volume_load_dir;
	inode_put(volume_root);
	for (struct dentry *d = root->dir.children, *next; d; d = next) {
		next = d->next;
		if (!S_ISDIR(d->inode->mode) || sole_own_folder(d->name))
			continue;
		struct inode *host = host_entry(root, d->name);
		if (host && S_ISDIR(host->mode)) {
			struct inode *copied = d->inode;
			size_t len = strlen(d->name);
			char name[256];
			memcpy(name, d->name, len + 1);
			inode_get(copied);
			dentry_remove(root, name, len);
			merge_into(host, copied);
			if (dentry_insert(root, name, len, host))
				klog("volume: out of memory placing the image's /%s", name);
			inode_put(copied);
		}
		if (host)
			inode_put(host);
	}
}

/* A single-file volume (sole run -v FILE:PATH): the export holds one
 * entry, the file, which takes the place of whatever PATH named. */
static int place_file(struct inode *export_root, const char *path)
{
	volume_load_dir(export_root);
	struct dentry *only = export_root->dir.children;
	if (!only || only->next || !S_ISREG(only->inode->mode))
		return -EINVAL;
	struct inode *file = only->inode;
	struct inode *parent;
	const char *name;
	size_t len;
	int err = make_parents(path, &parent, &name, &len);
	struct inode *existing = err ? NULL : dir_lookup(parent, name, len);
	if (existing && S_ISDIR(existing->mode))
		err = -EISDIR;
	else if (existing && parent->volume) /* a file of a volume or the image: hidden, kept on the host */
		err = dentry_remove(parent, name, len);
	else if (existing)
		err = dir_unlink(parent, name, len);
	if (!err) /* its link count stays the host's */
		err = dentry_insert(parent, name, len, file);
	return err;
}

static int mount_one(const char *tag, bool read_only, bool file, const char *path)
{
	struct ninep_channel *c = ninep_channel_find(tag);
	if (!c)
		return -ENODEV;
	struct volume *v = kzalloc(sizeof *v);
	if (!v)
		return -ENOMEM;
	v->channel = c;
	v->read_only = read_only;
	uint32_t root_fid;
	int err = ninep_attach(c, &root_fid);
	if (err)
		return err;
	struct inode *root = volume_inode_new(v, root_fid);
	if (!root)
		return -EIO;
	if (file) {
		err = place_file(root, path);
		inode_put(root);
		if (!err)
			klog("volume: %s, a file, at %s%s", tag, path, read_only ? " (read-only)" : "");
		return err;
	}
	if (!strcmp(path, "/")) {
		become_root(root);
		klog("volume: %s at /%s, msize %u", tag, read_only ? " (read-only)" : "", c->msize);
		return 0;
	}
	struct inode *parent;
	const char *name;
	size_t len;
	err = make_parents(path, &parent, &name, &len);
	struct inode *existing = err ? NULL : dir_lookup(parent, name, len);
	bool covers_image = existing && parent->volume;
	if (covers_image) /* a folder of the image (--rootfs): hidden, kept on the host, its place taken */
		err = S_ISDIR(existing->mode) ? dentry_remove(parent, name, len) : -ENOTDIR;
	else if (existing && (!S_ISDIR(existing->mode) || !dir_is_empty(existing)))
		err = -EEXIST;
	else if (existing)
		err = dir_unlink(parent, name, len);
	if (!err)
		err = dentry_insert(parent, name, len, root);
	if (!err && !covers_image)
		parent->nlink++;
	inode_put(root);
	if (!err)
		klog("volume: %s at %s%s, msize %u", tag, path, read_only ? " (read-only)" : "", c->msize);
	return err;
}

int volume_mount_all(const char *const *specs, int count, const char **what)
{
	for (int i = 0; i < count; i++) {
		const char *spec = specs[i];
		const char *colon = strchr(spec, ':');
		char tag[32];
		*what = spec;
		if (!colon || (size_t)(colon - spec) >= sizeof tag || strlen(colon) < 5 || colon[3] != ':')
			return -EINVAL;
		memcpy(tag, spec, (size_t)(colon - spec));
		tag[colon - spec] = 0;
		/* "ro" or "rw": a folder; "fr" or "fw": a single file */
		bool file = colon[1] == 'f';
		bool read_only = file ? colon[2] == 'r' : colon[2] == 'o';
		int err = mount_one(tag, read_only, file, colon + 4);
		if (err)
			return err;
	}
	return 0;
}
