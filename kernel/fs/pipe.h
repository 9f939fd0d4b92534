/* Pipes (kernel/fs/pipe.c): making one, opening a named one, and what
 * fcntl needs to reach them. */
#ifndef SOLE_PIPE_H
#define SOLE_PIPE_H

#include "kernel/fs/file.h"

#define PIPE_MIN_SIZE 4096 /* one page: the smallest F_SETPIPE_SZ gives */

/* /proc/sys/fs/pipe-max-size: F_SETPIPE_SZ's ceiling for all but root. */
extern unsigned long pipe_max_size;

/* A new pipe: ends[0] reads, ends[1] writes, each with a reference the
 * caller owns. flags may hold O_NONBLOCK. 0 or -ENOMEM. */
int pipe_create(unsigned flags, struct file *ends[2]);
/* open(2) of a named pipe (mkfifo) at ino: one end of the pipe it shares
 * with every other open. A reader waits for a writer and a writer for a
 * reader (unless O_NONBLOCK: then a reader goes on, and a writer with no
 * reader gets -ENXIO); O_RDWR waits for nobody. 0 with *out, or -errno. */
int fifo_open(struct inode *ino, unsigned flags, const char *path, struct file **out);
/* F_GETPIPE_SZ and F_SETPIPE_SZ; -EBADF when f is not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

#endif
