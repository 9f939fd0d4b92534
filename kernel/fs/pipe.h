/* Pipes (kernel/fs/pipe.c): making one, opening a named one, and what
 * fcntl needs to reach them. */
#ifndef SOLE_PIPE_H
#define SOLE_PIPE_H

#include "kernel/fs/file.h"

#define PIPE_MIN_SIZE 4096 /* one page: the smallest F_SETPIPE_SZ gives */

/* /proc/sys/fs/pipe-max-size: F_SETPIPE_SZ's ceiling for all but root. */
extern unsigned long pipe_max_size;

/* A new pipe: ends[0] reads, ends[1] writes, each with a reference the
 * caller owns. flags may hold O_NONBLOCK and O_DIRECT (packets). 0 or -ENOMEM. */
int pipe_create(unsigned flags, struct file *ends[2]);
/* open(2) of a named pipe (mkfifo) at ino: one end of the pipe it shares
 * with every other open. A reader waits for a writer and a writer for a
 * reader (unless O_NONBLOCK: then a reader goes on, and a writer with no
 * reader gets -ENXIO); O_RDWR waits for nobody. 0 with *out, or -errno. */
int fifo_open(struct inode *ino, unsigned flags, const char *path, struct file **out);
/* F_GETPIPE_SZ and F_SETPIPE_SZ; -EBADF when f is not a pipe. */
long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg);

/* What splice, tee and vmsplice (kernel/fs/splice.c) do with a pipe's
 * data, from the kernel and with the pipe's own waits and wakes. */
struct pipe;
/* The pipe behind f (a pipe end or an open FIFO); NULL for other files. */
struct pipe *pipe_of(const struct file *f);

enum pipe_need { PIPE_NEED_DATA, PIPE_NEED_ROOM };
#define PIPE_EOF 1
/* Waits, as Linux's splice does, until p holds data (PIPE_NEED_DATA) or has
 * a free slot (PIPE_NEED_ROOM, what poll calls writable), with no splice
 * holding it: 0 then; PIPE_EOF when it is empty and has no writer;
 * -EPIPE (and SIGPIPE) for room without a reader; -EAGAIN when nonblock;
 * -ERESTARTSYS for a signal. Nothing in between may block before using
 * what it waited for. */
long pipe_wait(struct pipe *p, enum pipe_need need, bool nonblock);
size_t pipe_length(const struct pipe *p);
size_t pipe_room(const struct pipe *p);
/* Copies the oldest n (<= length) bytes into buf, leaving them: 0 or -EFAULT. */
int pipe_peek(const struct pipe *p, struct iobuf buf, size_t n);
/* Drops the oldest n (<= length) bytes, waking writers. */
void pipe_consume(struct pipe *p, size_t n);
/* Appends n (<= room) bytes from buf, waking readers: 0, or -EFAULT with
 * nothing appended. */
int pipe_put(struct pipe *p, struct iobuf buf, size_t n);
/* Appends the oldest n bytes of from (n <= its length and to's room) to
 * to, leaving them in from. */
void pipe_copy(const struct pipe *from, struct pipe *to, size_t n);
/* While a splice waits on another file's I/O between its pipe_wait and
 * its use of the pipe, it holds the pipe: readers, writers, resizes and
 * other splices wait (Linux's pipe mutex). Only right after pipe_wait
 * returned 0. */
void pipe_hold(struct pipe *p);
void pipe_unhold(struct pipe *p);

#endif
