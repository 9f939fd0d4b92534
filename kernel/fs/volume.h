/* Volumes: host folders in the tree (sole run -v), served by the host's
 * 9P2000.L server (kernel/fs/ninep.h). An inode on a volume keeps the
 * host's attributes and, for a directory, a cache of all its entries,
 * loaded at its first use; after that the VM is taken to be the folder's
 * only writer, and every change goes to the host before the tree.
 *
 * File data goes through a page cache (the inode's pages): reads fill it
 * from the host, so repeated reads stay in the VM (a file larger than the
 * whole cache is read past it, straight from the host); writes go to the host at
 * once (write-through) and update the cached pages, so an error such as
 * ENOSPC reaches the write that caused it and nothing is lost at exit. Only
 * MAP_SHARED areas change cached pages in place: they are written back at
 * msync, fsync, munmap and exit. */
#ifndef SOLE_VOLUME_H
#define SOLE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fs/vfs.h"
#include "kernel/mm/iobuf.h"

struct ninep_channel;
struct statfs;

struct volume {
	struct ninep_channel *channel;
	bool read_only;
};

struct volume_inode {
	struct volume *volume;
	uint32_t fid;    /* walked to the file, never opened */
	uint32_t io_fid; /* opened for reads and writes; 0 until the first */
	bool io_writable;
	bool complete;      /* a directory whose every entry is cached */
	bool mapped_shared; /* some MAP_SHARED area has had its pages */
	/* Regular files with cached pages, the least recently used first. */
	struct inode *lru_prev, *lru_next;
};

/* Boot: mounts each volume of the boot configuration ("TAG:ro:/path" or
 * "TAG:rw:/path" for a folder, "TAG:fr:/path" or "TAG:fw:/path" for a
 * single file). Returns 0, or -errno with what failed in *what. */
int volume_mount_all(const char *const *specs, int count, const char **what);

/* sole run --user: the host user running sole (who owns what QEMU creates
 * in a volume) stands for the app's user, both ways, as a rootless
 * container's runtime maps its own user; other owners show as they are. */
void volume_map_owner(uint32_t host_uid, uint32_t host_gid, uint32_t app_uid, uint32_t app_gid);

/* The tree's side (kernel/fs/volume.c). */
struct inode *volume_inode_new(struct volume *v, uint32_t fid);
void volume_load_dir(struct inode *dir);
int volume_link(struct inode *dir, const char *name, size_t len, struct inode *child);
int volume_unlink(struct inode *dir, const char *name, size_t len, struct inode *victim);
int volume_rename(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
                  size_t newlen);
int volume_commit_attrs(struct inode *ino, unsigned changed);
bool volume_read_only(const struct inode *ino);
int volume_statfs(struct inode *ino, struct statfs *st);
/* The inode is going: its fids are clunked and its cached pages leave the
 * LRU list (the caller frees them). */
void volume_forget(struct inode *ino);

/* File data (kernel/fs/volume_data.c). */
long volume_read(struct inode *ino, uint64_t off, struct iobuf dst, size_t len);
long volume_write(struct inode *ino, uint64_t off, struct iobuf src, size_t len);
int volume_truncate(struct inode *ino, uint64_t size);
uint64_t volume_page_for_mapping(struct inode *ino, uint64_t off);
int volume_write_back(struct inode *ino);
int volume_sync(struct inode *ino, bool data_only);
/* Frees the file's cached pages. */
void volume_cache_drop(struct inode *ino);

#endif
