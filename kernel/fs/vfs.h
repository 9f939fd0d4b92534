/* The in-memory file tree: directories, regular files, symlinks and
 * character devices. The initrd populates it at boot; its regular files are
 * served from the initrd in place until written (then they own pages), so
 * the tree is the read-only image and the writable tmpfs overlay at once.
 * A volume (kernel/fs/volume.h) is a subtree whose inodes stand for a host
 * folder's files: the tree caches them, and every change goes to the host. */
#ifndef SOLE_VFS_H
#define SOLE_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <asm/stat.h>
#include "kernel/mm/iobuf.h"

#include <linux/stat.h>

struct credentials;
struct file;
struct inode;
struct inotify_watch;
struct lease;
struct pipe;
struct record_lock;
struct strbuf;
struct unix_sock;
struct volume_inode;
struct wait_queue;
struct xattr;

struct kstat_time {
	int64_t sec;
	long nsec;
};

/* A character device: /dev/null, /dev/console and their like. */
/* What lseek does on a character device, as its Linux driver's llseek. */
enum chardev_seek {
	CHARDEV_NO_SEEK,      /* ESPIPE (no_llseek: terminals) */
	CHARDEV_SEEK_TO_ZERO, /* the position is 0 whatever is asked (null_lseek) */
	CHARDEV_SEEK_IN_PLACE /* the position stays and is answered (noop_llseek) */
};

struct chardev {
	long (*read)(struct file *f, struct iobuf buf, size_t len);
	long (*write)(struct file *f, struct iobuf buf, size_t len);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	unsigned (*poll)(struct file *f, struct wait_queue **queue); /* as file_ops.poll */
	/* A device that makes its own files (a tty, /dev/ptmx): opens ino,
	 * reached by path, into *out: 0 or -errno. Without it, the file's
	 * operations are the ones above. */
	int (*open)(struct inode *ino, unsigned flags, const char *path, struct file **out);
	enum chardev_seek seek;
};

struct dentry {
	char *name;
	struct inode *inode;
	struct dentry *next;
	/* Where getdents finds it: a directory offset that stays the entry's
	 * while it lives, whatever comes or goes around it, and grows along
	 * the list (so a reader that unlinks what it has read skips nothing). */
	uint64_t position;
};

/* The first position handed out; each new entry of a folder takes one
 * less, since it goes to the front of the list. */
#define DENTRY_POSITION_TOP (1ull << 62)

struct inode {
	uint64_t ino;
	uint32_t mode; /* S_IFMT type and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint32_t rdev;
	struct kstat_time atime, mtime, ctime;
	int refs; /* open files, mappings and the tree's own link */
	/* flock(2) state: how many open files hold it shared, or which one
	 * holds it exclusively. */
	int flock_shared;
	struct file *flock_exclusive;
	struct record_lock *record_locks; /* fcntl's byte-range locks (kernel/fs/lock.c) */
	struct lease *leases;             /* fcntl's F_SETLEASE leases (kernel/fs/lease.c) */
	/* Open files (O_PATH aside) that are read-only, and that may write:
	 * whether a lease may be taken. */
	int open_readers, open_writers;
	int shared_mappings;              /* MAP_SHARED areas over the file: its pages stay put */
	int writable_mappings;            /* those of them that may write (VMA_MAYWRITE): F_SEAL_WRITE waits for none */
	/* Address spaces running it as their program: opening it for writing
	 * or truncating it gives ETXTBSY, as Linux's deny_write_access, since
	 * its pages come to every such process from the file on demand. */
	int executing;
	struct xattr *xattrs;             /* extended attributes (kernel/fs/xattr.c) */
	/* inotify (kernel/fs/inotify.c): the watches on it, and the folder
	 * of its latest link while that link lasts, which hears of a child's
	 * events. */
	struct inotify_watch *inotify_watches;
	struct inode *notify_parent;
	/* On a volume: the host's file behind it. NULL in the in-memory tree,
	 * where everything below behaves as it did before volumes. */
	struct volume_inode *volume;
	/* A /proc/PID/fd link to a regular file: that file, held, which a
	 * lookup reaches whatever its path now says (a memfd, a deleted
	 * file), as Linux's magic links. */
	struct inode *magic_target;
	union {
		struct {
			struct dentry *children; /* newest first */
			uint64_t next_position;  /* 0 until the first entry */
			struct inode *parent;
			char *name; /* its name in the parent, for getcwd */
			/* For /proc: brings the entries up to date before use. */
			void (*refresh)(struct inode *dir);
			/* A folder of the kernel's own (/proc, /dev/mqueue): the app may
			 * not add a name to it (ENOENT, as Linux's procfs answers) nor
			 * take one away (EPERM), unless remove_entry does that for it
			 * (a queue's mq_unlink). */
			bool kernel_entries;
			int (*remove_entry)(struct inode *dir, const char *name);
			/* ... and open(O_CREAT) may add a name through this (a
			 * queue's mq_open): 0 or -errno. */
			int (*create_entry)(struct inode *dir, const char *name, uint32_t mode);
			int proc_pid; /* For /proc/PID: the process it describes */
		} dir;
		struct {
			const uint8_t *initrd_data; /* read-only, until the first write */
			/* owned pages; NULL entries are holes (on a volume: not cached) */
			uint8_t **pages;
			size_t npages;
			size_t owned_pages; /* of them, the ones that hold a page (st_blocks) */
			/* For /proc: the content, written afresh at each open, and
			 * for a writable one (a /proc/sys tunable) what takes a
			 * write's text: 0 or -errno. */
			void (*generate)(const struct inode *ino, struct strbuf *out);
			int (*store)(const struct inode *ino, const char *text);
			/* A file of its own kind that opening gives (a queue's, in
			 * /dev/mqueue), NULL when out of memory; flags are open's. */
			struct file *(*open)(struct inode *ino, unsigned flags, const char *path);
			const void *proc_data; /* what generate and store read */
			int proc_pid;          /* For /proc/PID files: the process they describe */
			int proc_tid;          /* and for /proc/PID/task/TID files, the thread */
			int proc_fd;           /* and for /proc/PID/fdinfo/N, the descriptor */
			/* A memfd, the only file that takes seals, and its
			 * F_SEAL_* bits (kernel/fs/seals.h). */
			bool memfd;
			unsigned seals;
		} file;
		char *link_target;
		const struct chardev *dev;
		/* S_IFSOCK: the AF_UNIX socket bound to this name, NULL once it
		 * has closed (kernel/net/unix_address.c). */
		struct unix_sock *bound_unix;
		/* S_IFIFO made by mknod: its pipe while some end is open
		 * (kernel/fs/pipe.c). */
		struct pipe *fifo;
	};
};

#define MAX_SYMLINKS 40 /* followed in one lookup: Linux's MAXSYMLINKS */

/* The root of the tree. */
struct inode *vfs_root(void);
struct inode *inode_new(uint32_t mode);
void inode_get(struct inode *ino);
void inode_put(struct inode *ino);
void inode_touch(struct inode *ino, bool modified);

/* Directory entries. */
static inline void dir_refresh(struct inode *dir)
{
	if (dir->dir.refresh)
		dir->dir.refresh(dir);
}
struct inode *dir_lookup(struct inode *dir, const char *name, size_t len);
/* Links child at name: on a volume, a new child (never linked) is created
 * on the host by its mode, a volume's child gets a hard link there. */
int dir_link(struct inode *dir, const char *name, size_t len, struct inode *child);
int dir_unlink(struct inode *dir, const char *name, size_t len);
/* Moves the entry, replacing what newname held (the caller has checked
 * that it may); -EXDEV between a volume and elsewhere. */
int dir_rename(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
               size_t newlen);
/* RENAME_EXCHANGE: the two entries swap their files atomically (both must
 * exist; the caller has checked that it may). -EINVAL on a volume: 9P has
 * no exchange, as Linux file systems without it answer. */
int dir_exchange(struct inode *dir_a, const char *name_a, size_t len_a, struct inode *dir_b, const char *name_b,
                 size_t len_b);
/* An entry for child, with no checks and no change of link counts: for a
 * file system filling its own cache. Takes a reference. */
int dentry_insert(struct inode *dir, const char *name, size_t len, struct inode *child);
/* Takes name out of dir's tree only, as a mount hides what it covers (on a
 * volume, the host's entry stays), with no change of link counts. */
int dentry_remove(struct inode *dir, const char *name, size_t len);
bool dir_is_empty(struct inode *dir);

/* Regular file data. */
long inode_read_buf(struct inode *ino, uint64_t off, struct iobuf buf, size_t len);
long inode_write_buf(struct inode *ino, uint64_t off, struct iobuf buf, size_t len);
static inline long inode_read(struct inode *ino, uint64_t off, void *kbuf, size_t len)
{
	return inode_read_buf(ino, off, kernel_buf(kbuf), len);
}
int inode_truncate(struct inode *ino, uint64_t size);
/* fallocate's PUNCH_HOLE in the in-memory tree: the whole pages of
 * [start, end) go back (a hole reads as zeros), the edges are zeroed; the
 * size stays. 0 or -ENOMEM. */
int inode_punch_hole(struct inode *ino, uint64_t start, uint64_t end);
/* Room in the file's page table for npages pages: 0 or -ENOMEM. */
int inode_reserve_pages(struct inode *ino, size_t npages);
/* fsync and fdatasync: a volume's data and, unless data_only, metadata
 * reach the host's disk. */
int inode_sync(struct inode *ino, bool data_only);
/* Sends mode, owner and times, changed in the inode, to a volume's host. */
#define INODE_ATTR_MODE 0x1
#define INODE_ATTR_OWNER 0x2
#define INODE_ATTR_TIMES 0x4
int inode_commit_attrs(struct inode *ino, unsigned changed);
/* On a read-only volume: writes give EROFS. */
bool inode_read_only(const struct inode *ino);
/* A MAP_SHARED area of the file went away or asked for msync: a volume
 * writes the pages such areas may have changed back to the host. */
int inode_write_back(struct inode *ino);
/* Pages for mappings (physical addresses, 0 when there is none): the
 * file's own page at off, made on demand for MAP_SHARED; or the initrd page
 * holding off, when the file is still served in place from a page-aligned
 * spot of the initrd. */
uint64_t inode_page_for_mapping(struct inode *ino, uint64_t off);
uint64_t inode_initrd_page(struct inode *ino, uint64_t off);
/* mincore's view of Linux's page cache: whether the file's page at off is
 * in memory (an initrd file always is; a hole or an uncached volume page
 * is not). */
bool inode_page_cached(const struct inode *ino, uint64_t off);
/* A private mapping reads the page at off: as Linux's page cache (and
 * tmpfs's faults) would, a hole of an in-memory file gets its page. */
void inode_cache_page(struct inode *ino, uint64_t off);
/* Points a new file at initrd bytes, served in place. */
void inode_set_initrd_data(struct inode *ino, const uint8_t *data, uint64_t size);

/* Path resolution, for someone: root is where absolute paths and symlink
 * targets begin and where ".." stops (the tree's vfs_root(), or the root a
 * process chose with chroot); every directory passed through needs search
 * permission for cred (-EACCES), and a NULL cred is the kernel's own
 * lookup, which passes as root. start is where relative paths begin. */
struct lookup_context {
	struct inode *root;
	const struct credentials *cred;
	/* openat2's RESOLVE_* flags (linux/openat2.h), 0 for every other call.
	 * With RESOLVE_BENEATH or RESOLVE_IN_ROOT, root is the dirfd's folder. */
	unsigned resolve;
};
static inline struct lookup_context kernel_lookup(void) { return (struct lookup_context){.root = vfs_root()}; }
#define LOOKUP_FOLLOW 0x1    /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2 /* the result must be a directory */
int vfs_lookup(struct lookup_context ctx, struct inode *start, const char *path, int flags, struct inode **out);
/* Resolves all but the last component, and checks that the parent may be
 * searched; *name points into path. */
int vfs_lookup_parent(struct lookup_context ctx, struct inode *start, const char *path, struct inode **parent,
                      const char **name, size_t *name_len);
/* Writes the path of a directory as seen from root; returns its length or -errno. */
long vfs_dir_path(struct inode *root, struct inode *dir, char *buf, size_t size);
/* The absolute, normalised form of path as seen from start and root ("."
 * and ".." folded, symlinks left alone). Returns its length or -errno. */
long vfs_absolute_path(struct inode *root, struct inode *start, const char *path, char *buf, size_t size);
void vfs_fill_stat(const struct inode *ino, struct stat *st);

/* Boot: the tree from the initrd cpio, plus /dev and /proc. */
/* Fills the tree from a cpio (newc) archive. The boot configuration file
 * is handed back instead of entering the tree. */
int initrd_populate(const uint8_t *archive, size_t size, const uint8_t **boot_config, size_t *boot_config_len);
void devfs_populate(void);
void procfs_populate(void);

#endif
