/* Pipes (syscalls/pipe.c): what fcntl needs to reach them. */
#ifndef SOLE_PIPE_H
#define SOLE_PIPE_H

#include "syscalls/vfs/file.h"

/* F_GETPIPE_SZ and F_SETPIPE_SZ; -EBADF when f is not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

#endif
