/* Inodes, directory entries and regular-file data, see vfs.h. */
#include "kernel/fs/vfs.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/seals.h"
#include "kernel/fs/volume.h"
#include "kernel/fs/xattr.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"

static uint64_t next_ino = 1;

/* File data lives in whole pages, zeroed when they arrive, and counted for
 * stat's st_blocks: a sparse file holds only the pages written. */
static uint8_t *data_page_alloc(struct inode *ino)
{
	uint64_t phys = page_alloc(1);
	if (phys)
		ino->file.owned_pages++;
	return phys ? phys_to_virt(phys) : NULL;
}

static void data_page_free(struct inode *ino, uint8_t *page)
{
	if (!page)
		return;
	page_free(virt_to_phys(page), 1);
	ino->file.owned_pages--;
}

static void now(struct kstat_time *t)
{
	uint64_t ns = time_realtime_ns();
	t->sec = (int64_t)(ns / 1000000000);
	t->nsec = (long)(ns % 1000000000);
}

struct inode *inode_new(uint32_t mode)
{
	struct inode *ino = kzalloc(sizeof *ino);
	if (!ino)
		return NULL;
	ino->ino = next_ino++;
	ino->mode = mode;
	ino->refs = 1;
	now(&ino->mtime);
	ino->atime = ino->ctime = ino->mtime;
	return ino;
}

void inode_get(struct inode *ino) { ino->refs++; }

static void free_data(struct inode *ino)
{
	inotify_inode_gone(ino);
	xattr_drop_all(ino);
	if (ino->volume)
		volume_forget(ino);
	if (S_ISREG(ino->mode)) {
		for (size_t i = 0; i < ino->file.npages; i++)
			data_page_free(ino, ino->file.pages[i]);
		kfree(ino->file.pages);
	} else if (S_ISLNK(ino->mode)) {
		kfree(ino->link_target);
		if (ino->magic_target)
			inode_put(ino->magic_target);
	} else if (S_ISDIR(ino->mode)) {
		kfree(ino->dir.name);
	}
}

void inode_put(struct inode *ino)
{
	if (--ino->refs > 0)
		return;
	free_data(ino);
	kfree(ino);
}

void inode_touch(struct inode *ino, bool modified)
{
	now(&ino->ctime);
	if (modified)
		ino->mtime = ino->ctime;
}

struct inode *dir_lookup(struct inode *dir, const char *name, size_t len)
{
	if (dir->volume)
		volume_load_dir(dir);
	for (struct dentry *d = dir->dir.children; d; d = d->next)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return d->inode;
	return NULL;
}

int dentry_insert(struct inode *dir, const char *name, size_t len, struct inode *child)
{
	struct dentry *d = kmalloc(sizeof *d);
	char *copy = kmalloc(len + 1);
	char *own = S_ISDIR(child->mode) ? kmalloc(len + 1) : NULL;
	if (!d || !copy || (S_ISDIR(child->mode) && !own)) {
		kfree(d);
		kfree(copy);
		kfree(own);
		return -ENOMEM;
	}
	memcpy(copy, name, len);
	copy[len] = 0;
	if (own) {
		memcpy(own, copy, len + 1);
		kfree(child->dir.name);
		child->dir.name = own;
		child->dir.parent = dir;
	}
	d->name = copy;
	d->inode = child;
	if (!dir->dir.next_position)
		dir->dir.next_position = DENTRY_POSITION_TOP;
	d->position = dir->dir.next_position--;
	d->next = dir->dir.children;
	dir->dir.children = d;
	child->notify_parent = dir;
	inode_get(child);
	return 0;
}

/* The entry and its link counts, in the tree only. */
static int link_here(struct inode *dir, const char *name, size_t len, struct inode *child)
{
	int err = dentry_insert(dir, name, len, child);
	if (err)
		return err;
	if (S_ISDIR(child->mode))
		dir->nlink++;
	child->nlink++;
	inode_touch(dir, true);
	return 0;
}

/* Takes the entry out; as an unlink (counted) it also drops the link
 * counts and stamps the times. */
static int remove_dentry(struct inode *dir, const char *name, size_t len, bool counted)
{
	for (struct dentry **link = &dir->dir.children; *link; link = &(*link)->next) {
		struct dentry *d = *link;
		if (strlen(d->name) != len || memcmp(d->name, name, len))
			continue;
		*link = d->next;
		if (d->inode->notify_parent == dir)
			d->inode->notify_parent = NULL;
		if (counted) {
			if (S_ISDIR(d->inode->mode))
				dir->nlink--;
			d->inode->nlink--;
			inode_touch(d->inode, false);
			inode_touch(dir, true);
		}
		inode_put(d->inode);
		kfree(d->name);
		kfree(d);
		return 0;
	}
	return -ENOENT;
}

int dir_link(struct inode *dir, const char *name, size_t len, struct inode *child)
{
	if (len > 255)
		return -ENAMETOOLONG;
	if (dir_lookup(dir, name, len))
		return -EEXIST;
	if (dir->volume || child->volume) {
		int err = volume_link(dir, name, len, child);
		if (err)
			return err;
	}
	bool hard_link = !S_ISDIR(child->mode) && child->nlink > 0;
	int err = link_here(dir, name, len, child);
	if (err)
		return err;
	if (hard_link)
		inotify_self_event(child, IN_ATTRIB);
	inotify_entry_event(dir, IN_CREATE, name, len, S_ISDIR(child->mode));
	return 0;
}

static int unlink_here(struct inode *dir, const char *name, size_t len) { return remove_dentry(dir, name, len, true); }

int dentry_remove(struct inode *dir, const char *name, size_t len) { return remove_dentry(dir, name, len, false); }

/* As on Linux, a file's watches see its link count drop (a folder's do
 * not), then it may go (IN_DELETE_SELF), then its folder sees IN_DELETE. */
int dir_unlink(struct inode *dir, const char *name, size_t len)
{
	struct inode *victim = dir_lookup(dir, name, len);
	if (!victim)
		return -ENOENT;
	if (dir->volume) {
		int err = volume_unlink(dir, name, len, victim);
		if (err)
			return err;
	}
	bool is_dir = S_ISDIR(victim->mode);
	if (!is_dir)
		inotify_self_event(victim, IN_ATTRIB);
	int err = unlink_here(dir, name, len);
	if (!err)
		inotify_entry_event(dir, IN_DELETE, name, len, is_dir);
	return err;
}

int dir_rename(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
               size_t newlen)
{
	struct inode *src = dir_lookup(olddir, oldname, oldlen);
	if (!src)
		return -ENOENT;
	if (olddir->volume || newdir->volume) {
		int err = volume_rename(olddir, oldname, oldlen, newdir, newname, newlen);
		if (err)
			return err;
	}
	/* The replaced file, if any, is held until the events are out: on
	 * Linux it goes (IN_DELETE_SELF) after the rename's own events. */
	struct inode *target = dir_lookup(newdir, newname, newlen);
	inode_get(src);
	if (target) {
		inode_get(target);
		unlink_here(newdir, newname, newlen);
	}
	unlink_here(olddir, oldname, oldlen);
	int err = link_here(newdir, newname, newlen, src);
	if (!err) {
		inotify_rename(olddir, oldname, oldlen, newdir, newname, newlen, src);
		if (target)
			inotify_self_event(target, IN_ATTRIB);
		inotify_self_event(src, IN_MOVE_SELF);
	}
	if (target)
		inode_put(target);
	inode_put(src);
	return err;
}

int dir_exchange(struct inode *dir_a, const char *name_a, size_t len_a, struct inode *dir_b, const char *name_b,
                 size_t len_b)
{
	if (dir_a->volume || dir_b->volume)
		return -EINVAL;
	struct inode *a = dir_lookup(dir_a, name_a, len_a), *b = dir_lookup(dir_b, name_b, len_b);
	if (!a || !b)
		return -ENOENT;
	inode_get(a);
	inode_get(b);
	unlink_here(dir_a, name_a, len_a);
	unlink_here(dir_b, name_b, len_b);
	int err = link_here(dir_b, name_b, len_b, a);
	if (!err)
		err = link_here(dir_a, name_a, len_a, b);
	if (!err) {
		inotify_rename(dir_a, name_a, len_a, dir_b, name_b, len_b, a);
		inotify_rename(dir_b, name_b, len_b, dir_a, name_a, len_a, b);
	}
	inode_put(a);
	inode_put(b);
	return err;
}

bool dir_is_empty(struct inode *dir)
{
	if (dir->volume)
		volume_load_dir(dir);
	return dir->dir.children == NULL;
}

void inode_set_initrd_data(struct inode *ino, const uint8_t *data, uint64_t size)
{
	ino->file.initrd_data = data;
	ino->size = size;
}

/* The page holding offset off, NULL for a hole. */
static uint8_t *data_page(struct inode *ino, uint64_t off)
{
	size_t index = off / PAGE_SIZE;
	return index < ino->file.npages ? ino->file.pages[index] : NULL;
}

long inode_read_buf(struct inode *ino, uint64_t off, struct iobuf dst, size_t len)
{
	if (ino->volume)
		return volume_read(ino, off, dst, len);
	if (off >= ino->size)
		return 0;
	if (len > ino->size - off)
		len = ino->size - off;
	if (ino->file.initrd_data)
		return iobuf_put(dst, 0, ino->file.initrd_data + off, len) ? -EFAULT : (long)len;
	size_t done = 0;
	while (done < len) {
		uint64_t at = off + done;
		size_t in_page = PAGE_SIZE - at % PAGE_SIZE;
		size_t n = in_page < len - done ? in_page : len - done;
		uint8_t *page = data_page(ino, at);
		int err = page ? iobuf_put(dst, done, page + at % PAGE_SIZE, n) : iobuf_zero(dst, done, n);
		if (err)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

int inode_reserve_pages(struct inode *ino, size_t npages)
{
	if (npages <= ino->file.npages)
		return 0;
	uint8_t **pages = kzalloc(npages * sizeof *pages);
	if (!pages)
		return -ENOMEM;
	if (ino->file.npages)
		memcpy(pages, ino->file.pages, ino->file.npages * sizeof *pages);
	kfree(ino->file.pages);
	ino->file.pages = pages;
	ino->file.npages = npages;
	return 0;
}

/* The first write moves initrd-backed data into pages of the file's own. */
static int take_ownership(struct inode *ino)
{
	const uint8_t *src = ino->file.initrd_data;
	if (!src)
		return 0;
	size_t npages = PAGE_ALIGN_UP(ino->size) / PAGE_SIZE;
	if (inode_reserve_pages(ino, npages))
		return -ENOMEM;
	for (size_t i = 0; i < npages; i++) {
		if (ino->file.pages[i])
			continue; /* copied by an attempt that ran out of memory further on */
		ino->file.pages[i] = data_page_alloc(ino);
		if (!ino->file.pages[i])
			return -ENOMEM;
		size_t n = ino->size - i * PAGE_SIZE < PAGE_SIZE ? ino->size - i * PAGE_SIZE : PAGE_SIZE;
		memcpy(ino->file.pages[i], src + i * PAGE_SIZE, n);
	}
	ino->file.initrd_data = NULL;
	return 0;
}

static long memory_write(struct inode *ino, uint64_t off, struct iobuf src, size_t len)
{
	int err = take_ownership(ino);
	if (!err)
		err = inode_reserve_pages(ino, PAGE_ALIGN_UP(off + len) / PAGE_SIZE);
	if (err)
		return err == -ENOMEM ? -ENOSPC : err; /* write(2) knows a full file system, not ENOMEM */
	size_t done = 0;
	long failure = 0;
	while (done < len) {
		uint64_t at = off + done;
		size_t index = at / PAGE_SIZE;
		size_t n = PAGE_SIZE - at % PAGE_SIZE < len - done ? PAGE_SIZE - at % PAGE_SIZE : len - done;
		if (!ino->file.pages[index] && !(ino->file.pages[index] = data_page_alloc(ino))) {
			failure = -ENOSPC; /* the memory that holds the tree is full, as a tmpfs at its size */
			break;
		}
		if (iobuf_get(ino->file.pages[index] + at % PAGE_SIZE, src, done, n)) {
			failure = -EFAULT;
			break;
		}
		done += n;
	}
	if (done == 0 && len)
		return failure;
	if (off + done > ino->size)
		ino->size = off + done;
	inode_touch(ino, true);
	return (long)done;
}

long inode_write_buf(struct inode *ino, uint64_t off, struct iobuf src, size_t len)
{
	if (off + len < off)
		return -EFBIG;
	long allowed = seals_write_len(ino, off, len);
	if (allowed < 0)
		return allowed;
	len = (size_t)allowed;
	long n = ino->volume ? volume_write(ino, off, src, len) : memory_write(ino, off, src, len);
	if (n > 0)
		inotify_event(ino, IN_MODIFY);
	return n;
}

uint64_t inode_initrd_page(struct inode *ino, uint64_t off)
{
	const uint8_t *data = ino->file.initrd_data;
	if (!data || off + PAGE_SIZE > ino->size || ((uintptr_t)(data + off) & (PAGE_SIZE - 1)))
		return 0;
	return virt_to_phys(data + off);
}

uint64_t inode_page_for_mapping(struct inode *ino, uint64_t off)
{
	if (ino->volume)
		return volume_page_for_mapping(ino, off);
	size_t index = off / PAGE_SIZE;
	if (take_ownership(ino) || inode_reserve_pages(ino, index + 1))
		return 0;
	if (!ino->file.pages[index] && !(ino->file.pages[index] = data_page_alloc(ino)))
		return 0;
	return virt_to_phys(ino->file.pages[index]);
}

bool inode_page_cached(const struct inode *ino, uint64_t off)
{
	size_t index = off / PAGE_SIZE;
	if (off >= PAGE_ALIGN_UP(ino->size))
		return false;
	return ino->file.initrd_data || (index < ino->file.npages && ino->file.pages[index]);
}

void inode_cache_page(struct inode *ino, uint64_t off)
{
	if (!ino->volume && !ino->file.initrd_data && off < ino->size)
		inode_page_for_mapping(ino, off);
}

static int memory_truncate(struct inode *ino, uint64_t size)
{
	int err = take_ownership(ino);
	if (err)
		return err;
	size_t keep = PAGE_ALIGN_UP(size) / PAGE_SIZE;
	for (size_t i = keep; i < ino->file.npages; i++) {
		if (ino->shared_mappings && ino->file.pages[i]) {
			memset(ino->file.pages[i], 0, PAGE_SIZE); /* still mapped: keep it, empty */
			continue;
		}
		data_page_free(ino, ino->file.pages[i]);
		ino->file.pages[i] = NULL;
	}
	/* Bytes past the new end inside the last page must read as zeros if
	 * the file grows again. */
	if (size % PAGE_SIZE && keep && keep <= ino->file.npages && ino->file.pages[keep - 1])
		memset(ino->file.pages[keep - 1] + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	ino->size = size;
	inode_touch(ino, true);
	return 0;
}

int inode_punch_hole(struct inode *ino, uint64_t start, uint64_t end)
{
	int err = take_ownership(ino);
	if (err)
		return err;
	uint64_t held = (uint64_t)ino->file.npages * PAGE_SIZE;
	end = end < ino->size ? end : ino->size;
	end = end < held ? end : held;
	for (uint64_t at = start; at < end;) {
		size_t index = at / PAGE_SIZE;
		size_t n = (size_t)((end - at < PAGE_SIZE - at % PAGE_SIZE) ? end - at : PAGE_SIZE - at % PAGE_SIZE);
		uint8_t *page = ino->file.pages[index];
		if (page && n == PAGE_SIZE && !ino->shared_mappings) {
			data_page_free(ino, page);
			ino->file.pages[index] = NULL;
		} else if (page) {
			memset(page + at % PAGE_SIZE, 0, n); /* an edge, or a page still mapped */
		}
		at += n;
	}
	inode_touch(ino, true);
	inotify_event(ino, IN_MODIFY);
	return 0;
}

int inode_truncate(struct inode *ino, uint64_t size)
{
	int err = seals_check_resize(ino, size);
	if (err)
		return err;
	err = ino->volume ? volume_truncate(ino, size) : memory_truncate(ino, size);
	if (!err)
		inotify_event(ino, IN_MODIFY);
	return err;
}

int inode_sync(struct inode *ino, bool data_only) { return ino->volume ? volume_sync(ino, data_only) : 0; }

int inode_commit_attrs(struct inode *ino, unsigned changed)
{
	return ino->volume ? volume_commit_attrs(ino, changed) : 0;
}

bool inode_read_only(const struct inode *ino) { return ino->volume && volume_read_only(ino); }

int inode_write_back(struct inode *ino) { return ino->volume ? volume_write_back(ino) : 0; }
