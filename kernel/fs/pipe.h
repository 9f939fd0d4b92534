/* Pipes (kernel/fs/pipe.c): making one, and what fcntl needs to reach it. */
#ifndef SOLE_PIPE_H
#define SOLE_PIPE_H

#include "kernel/fs/file.h"

/* A new pipe: ends[0] reads, ends[1] writes, each with a reference the
 * caller owns. flags may hold O_NONBLOCK. 0 or -ENOMEM. */
int pipe_create(unsigned flags, struct file *ends[2]);
/* F_GETPIPE_SZ and F_SETPIPE_SZ; -EBADF when f is not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

#endif
