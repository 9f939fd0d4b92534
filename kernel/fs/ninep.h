/* A 9P2000.L client: one call per request the volumes need, each sent over
 * a channel (a virtio-9p device) and waited for. Errors come back as the
 * host's -errno (Rlerror). Tfsync may sleep for its reply while other
 * threads send theirs, and so may Tread when it reads into memory no other
 * thread can unmap meanwhile (the page cache's, the kernel's, or the app's
 * when it is the only thread of its address space) and for no fault of an
 * app with other threads (see ninep_read_pages); every other request
 * polls, so the volume layer's steps between them stay atomic (a Twrite
 * that slept would let another O_APPEND writer take the same end of file).
 * Waits are not broken by signals (no Tflush).
 * Tread and Twrite move their data without a copy: the device reads or
 * writes the app's (or the page cache's) pages themselves. */
#ifndef SOLE_NINEP_H
#define SOLE_NINEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/iobuf.h"

/* A piece of memory by physical address: data that travels beside a
 * message rather than inside it. */
struct ninep_piece {
	uint64_t phys;
	uint32_t len;
};

/* Pieces of one Tread or Twrite: 1 MiB from anywhere in a page. */
#define NINEP_PIECES_MAX 257

/* One request's buffers, from the channel's pool: request, of max_request
 * bytes, and reply, of reply_room bytes (max_message for a large slot,
 * else NINEP_SMALL_REPLY); its 9P tag, unique among the requests in
 * flight; and room for the pieces of a Tread or Twrite. */
struct ninep_slot {
	uint8_t *request, *reply;
	uint32_t reply_room;
	uint16_t tag;
	struct ninep_piece pieces[NINEP_PIECES_MAX];
	uint64_t pages[NINEP_PIECES_MAX]; /* the pages the pieces are cut from */
};

/* Every reply but Rreaddir's fits (Rreadlink's path is the longest). */
#define NINEP_SMALL_REPLY 8192

/* A transport for whole 9P messages, registered by its driver. Several
 * requests may be in flight at once, each in its own slot: the client
 * takes a slot, writes the request into it, calls transact, which leaves
 * the reply in it, and gives the slot back. */
struct ninep_channel {
	const char *tag; /* the mount tag QEMU was given */
	uint32_t max_request, max_message;
	unsigned max_pieces; /* how many pieces a transact carries, at most NINEP_PIECES_MAX */
	/* A free slot, large for a reply of up to max_message; sleeps while
	 * none is free. */
	struct ninep_slot *(*slot_take)(struct ninep_channel *c, bool large);
	void (*slot_give)(struct ninep_channel *c, struct ninep_slot *s);
	/* Sends len bytes of s's request, then its count pieces unless
	 * pieces_in; the reply fills at most room bytes of s's reply, then the
	 * pieces when pieces_in. may_sleep lets the caller sleep for the reply
	 * while other threads run (else it polls). 0 and the bytes the device
	 * wrote in *got, or -EIO. */
	int (*transact)(struct ninep_channel *c, struct ninep_slot *s, uint32_t len, uint32_t room, unsigned count,
	                bool pieces_in, bool may_sleep, uint32_t *got);
	struct ninep_channel *next;
	uint32_t msize; /* agreed with Tversion */
	uint32_t next_fid;
	uint32_t *free_fids; /* a stack of clunked fids */
	size_t free_fid_count, free_fid_room;
};

void ninep_channel_register(struct ninep_channel *c);
struct ninep_channel *ninep_channel_find(const char *tag);

struct ninep_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

struct ninep_attr {
	struct ninep_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blocks;
	int64_t atime_sec, mtime_sec, ctime_sec;
	long atime_nsec, mtime_nsec, ctime_nsec;
};

struct ninep_statfs {
	uint32_t type, bsize, namelen;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
};

/* Tsetattr's valid bits. */
#define NINEP_SETATTR_MODE 0x1
#define NINEP_SETATTR_UID 0x2
#define NINEP_SETATTR_GID 0x4
#define NINEP_SETATTR_SIZE 0x8
#define NINEP_SETATTR_ATIME 0x10
#define NINEP_SETATTR_MTIME 0x20
#define NINEP_SETATTR_CTIME 0x40
#define NINEP_SETATTR_ATIME_SET 0x80
#define NINEP_SETATTR_MTIME_SET 0x100

struct ninep_setattr {
	uint32_t valid, mode, uid, gid;
	uint64_t size;
	int64_t atime_sec, mtime_sec;
	long atime_nsec, mtime_nsec;
};

/* One entry of a Treaddir reply: the callback returns nonzero to stop. */
typedef int (*ninep_dirent_fn)(void *ctx, const struct ninep_qid *qid, uint8_t type, const char *name, size_t len);

/* Tversion with the largest msize the channel carries, then Tattach of
 * the export's root to a new fid. */
int ninep_attach(struct ninep_channel *c, uint32_t *root_fid);
uint32_t ninep_fid_new(struct ninep_channel *c);
int ninep_clunk(struct ninep_channel *c, uint32_t fid);
/* Walks one name (or none: a clone when len is 0) from fid to a new fid. */
int ninep_walk(struct ninep_channel *c, uint32_t fid, const char *name, size_t len, uint32_t *new_fid);
int ninep_getattr(struct ninep_channel *c, uint32_t fid, struct ninep_attr *attr);
int ninep_setattr(struct ninep_channel *c, uint32_t fid, const struct ninep_setattr *attr);
int ninep_lopen(struct ninep_channel *c, uint32_t fid, uint32_t flags);
/* Creates name in the directory fid and opens it: fid then stands for it. */
int ninep_lcreate(struct ninep_channel *c, uint32_t fid, const char *name, size_t len, uint32_t flags, uint32_t mode);
int ninep_mkdir(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, uint32_t mode);
int ninep_symlink(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, const char *target);
int ninep_mknod(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, uint32_t mode);
int ninep_link(struct ninep_channel *c, uint32_t dfid, uint32_t fid, const char *name, size_t len);
int ninep_unlinkat(struct ninep_channel *c, uint32_t dfid, const char *name, size_t len, bool directory);
int ninep_renameat(struct ninep_channel *c, uint32_t old_dfid, const char *old_name, size_t old_len, uint32_t new_dfid,
                   const char *new_name, size_t new_len);
/* The target, NUL-terminated, in a new kmalloc'ed string. */
int ninep_readlink(struct ninep_channel *c, uint32_t fid, char **target);
/* Reads up to len bytes (at most ninep_io_max) at off into dst, which the
 * host fills itself (an app's buffer as the app's own write to it would,
 * copy-on-write done): the count, -EFAULT, or -errno. */
long ninep_read(struct ninep_channel *c, uint32_t fid, uint64_t off, struct iobuf dst, size_t len);
/* The same into count whole pages of the kernel's (count * PAGE_SIZE at most
 * ninep_io_max); for_mapping when a fault of the app's waits for them: it
 * sleeps then only when the app is alone in its address space, since its
 * areas must not change while the fault is under way. */
long ninep_read_pages(struct ninep_channel *c, uint32_t fid, uint64_t off, uint8_t *const *pages, size_t count,
                      bool for_mapping);
/* Writes up to len bytes (at most ninep_io_max) from src at off, which the
 * host reads itself: the count the host wrote, -EFAULT, or -errno. */
long ninep_write(struct ninep_channel *c, uint32_t fid, uint64_t off, struct iobuf src, size_t len);
int ninep_fsync(struct ninep_channel *c, uint32_t fid, bool data_only);
int ninep_statfs(struct ninep_channel *c, uint32_t fid, struct ninep_statfs *st);
/* Every entry of the open directory fid but "." and "..", in the host's
 * order. each sees the reply buffer's bytes: it must send no request. */
int ninep_readdir(struct ninep_channel *c, uint32_t fid, ninep_dirent_fn each, void *ctx);
/* The most data one Tread or Twrite carries: msize's room, and as many
 * pieces as the transport takes (a page each at worst). */
uint32_t ninep_io_max(const struct ninep_channel *c);

#endif
