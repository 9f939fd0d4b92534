/* Open files and the per-process table of file descriptors. */
#ifndef SOLE_FILE_H
#define SOLE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/iobuf.h"

struct inode;
struct file;
struct wait_queue;

/* Something that watches a file and must let go of it at the file's last
 * close (an epoll item, the O_ASYNC watcher, a lease): the file holds a
 * list of them and calls forget on each, so the file layer needs to know
 * nothing of the watcher. forget must unlink w from the file's list. */
struct file_watch {
	void (*forget)(struct file_watch *w);
	struct file_watch *next;
};

/* Who a file signals (F_SETOWN, F_SETOWN_EX, F_SETSIG): for O_ASYNC's
 * readiness changes and for lease breaks (kernel/fs/async_signal.h). */
struct file_owner {
	int pid;            /* a tid, pid or pgid as type says; 0: nobody */
	int type;           /* F_OWNER_TID (zero, as Linux's fresh file), F_OWNER_PID or F_OWNER_PGRP */
	uint32_t uid, euid; /* the setter's: kill's rule is checked with them at sending */
	int signal;         /* F_SETSIG's; 0 for a plain SIGIO */
};

struct file_ops {
	long (*read)(struct file *f, struct iobuf buf, size_t len, uint64_t *pos);
	long (*write)(struct file *f, struct iobuf buf, size_t len, uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	void (*release)(struct file *f); /* the last reference is gone */
	/* A process closed a descriptor of the file (close, dup2 over it,
	 * exec, exit), as Linux's flush: the caller is that process. */
	void (*flush)(struct file *f);
	/* Readiness (kernel/fs/readiness.h): the EPOLL* events that hold now,
	 * and in *queue (when queue is not NULL) the wait queue the object
	 * wakes, with the events that may have changed, on every change of
	 * state. NULL for files that are always ready (regular files,
	 * directories): poll and select see them readable and writable, epoll
	 * refuses them with EPERM, as on Linux. */
	unsigned (*poll)(struct file *f, struct wait_queue **queue);
	/* For a file that mmap maps other memory through (io_uring's rings):
	 * sets *target to the regular file whose pages back the len bytes at
	 * *offset, and *offset to where they are in it. 0 or -errno (-EINVAL
	 * for an offset the file has nothing at). NULL: the file's own pages. */
	int (*mmap_target)(struct file *f, uint64_t *offset, size_t len, struct inode **target);
	bool seekable;
};

struct file {
	struct inode *inode;
	const struct file_ops *ops;
	uint64_t pos;
	unsigned flags; /* O_ACCMODE, O_APPEND, O_NONBLOCK, ... as given to open */
	int refs;
	long private_data;          /* the device's own use (the console: its stream) */
	void *snapshot;             /* a generated file's content, taken at open */
	char *path;                 /* the absolute path it was opened by, for /proc/self/fd */
	int flock_mode;             /* LOCK_SH or LOCK_EX while this file holds a flock */
	struct file_owner owner;    /* who hears of it by signal (O_ASYNC, leases) */
	void *object;               /* what an anonymous file stands for: its pipe, eventfd, ... */
	struct file_watch *watches; /* epoll items, the O_ASYNC watcher, a lease: let go at last close */
};

/* Adds w to f's watches; file_watch_remove takes it off again. */
void file_watch_add(struct file *f, struct file_watch *w);
void file_watch_remove(struct file *f, struct file_watch *w);

/* path may be NULL (a device without a name). */
struct file *file_open_inode(struct inode *ino, unsigned flags, const char *path);
/* A file outside the tree (a pipe end, an eventfd, an epoll set) on a fresh
 * inode of the given mode, or on ino when it is not NULL. name is what
 * /proc/self/fd shows ("pipe:[7]", "anon_inode:[eventfd]"). */
struct file *file_open_anonymous(struct inode *ino, uint32_t mode, const struct file_ops *ops, void *object,
                                 unsigned flags, const char *name);
void file_get(struct file *f);
/* The status flags F_GETFL and /proc/PID/fdinfo show: open's flags without
 * those that act only at open (O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_CLOEXEC). */
unsigned file_status_flags(const struct file *f);
void file_put(struct file *f);

#define FD_MAX 1024 /* RLIMIT_NOFILE's soft limit, as on Debian, and the table's size */

struct fd_table {
	struct file *files[FD_MAX];
	bool cloexec[FD_MAX];
	int refs;
};

struct fd_table *fd_table_new(void);
/* fork's copy: the same open files (each shared, with its offset and
 * flags, as on Linux) at the same descriptors. NULL when out of memory. */
struct fd_table *fd_table_dup(const struct fd_table *from);
/* Makes *t the caller's own: a copy when it is shared (CLONE_FILES), as
 * unshare and close_range(CLOSE_RANGE_UNSHARE) do. 0 or -ENOMEM. */
int fd_table_unshare(struct fd_table **t);
/* Drops a reference; the last one closes every descriptor. */
void fd_table_put(struct fd_table *t);
/* exec: closes the descriptors marked close-on-exec. */
void fd_table_close_on_exec(struct fd_table *t);
/* How many descriptors the calling process may use: its RLIMIT_NOFILE,
 * at most FD_MAX. */
int fd_limit(void);
/* The lowest free descriptor >= min_fd below fd_limit(), or -EMFILE.
 * Takes a reference. */
int fd_install(struct fd_table *t, struct file *f, int min_fd, bool cloexec);
/* Installs a file just opened (NULL, when opening ran out of memory, gives
 * -ENOMEM) at the lowest free descriptor, and drops the opener's reference,
 * so a failure frees it: the descriptor or -errno. */
int fd_install_new(struct fd_table *t, struct file *f, bool cloexec);
/* Places f at fd, closing what was there. Takes a reference. */
int fd_install_at(struct fd_table *t, struct file *f, int fd, bool cloexec);
struct file *fd_get(struct fd_table *t, int fd);
int fd_close(struct fd_table *t, int fd);

#endif
