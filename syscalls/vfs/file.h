/* Open files and the per-process table of file descriptors. */
#ifndef SOLE_FILE_H
#define SOLE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/iobuf.h"

struct inode;
struct file;

struct file_ops {
	long (*read)(struct file *f, struct iobuf buf, size_t len, uint64_t *pos);
	long (*write)(struct file *f, struct iobuf buf, size_t len, uint64_t *pos);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	void (*release)(struct file *f); /* the last reference is gone */
	bool seekable;
};

struct file {
	struct inode *inode;
	const struct file_ops *ops;
	uint64_t pos;
	unsigned flags; /* O_ACCMODE, O_APPEND, O_NONBLOCK, ... as given to open */
	int refs;
	long private_data; /* the device's own use (the console: its stream) */
	void *snapshot;    /* a generated file's content, taken at open */
	char *path;        /* the absolute path it was opened by, for /proc/self/fd */
	int flock_mode;    /* LOCK_SH or LOCK_EX while this file holds a flock */
};

/* path may be NULL (a device without a name). */
struct file *file_open_inode(struct inode *ino, unsigned flags, const char *path);
void file_get(struct file *f);
void file_put(struct file *f);

#define FD_MAX 1024 /* RLIMIT_NOFILE's soft limit, as on Debian */

/* Drops a flock the file holds (done at its last close, and by LOCK_UN). */
void file_flock_release(struct file *f);

struct fd_table {
	struct file *files[FD_MAX];
	bool cloexec[FD_MAX];
	int refs;
};

struct fd_table *fd_table_new(void);
/* The lowest free descriptor >= min_fd, or -EMFILE. Takes a reference. */
int fd_install(struct fd_table *t, struct file *f, int min_fd, bool cloexec);
/* Places f at fd, closing what was there. Takes a reference. */
int fd_install_at(struct fd_table *t, struct file *f, int fd, bool cloexec);
struct file *fd_get(struct fd_table *t, int fd);
int fd_close(struct fd_table *t, int fd);

#endif
