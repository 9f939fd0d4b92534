/* splice, tee and vmsplice (kernel/fs/splice.c): moving data into, out of
 * and between pipes without the app's buffer in between. The syscalls
 * check descriptors, modes and offsets; these do the moving. */
#ifndef SOLE_SPLICE_H
#define SOLE_SPLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kernel/fs/pipe.h"

/* Each waits as Linux does: for data in the pipe it reads (0 at EOF) and
 * for a free slot in the pipe it writes (-EPIPE and SIGPIPE without a
 * reader), -EAGAIN instead when nonblock, -ERESTARTSYS for a signal. Each
 * moves what is there, up to len, and returns how much. */

/* Moves up to len bytes from in to out (two different pipes). */
long splice_pipe_to_pipe(struct pipe *in, struct pipe *out, size_t len, bool nonblock);
/* tee: copies up to len bytes of in's data to out, leaving them in in. */
long splice_tee(struct pipe *in, struct pipe *out, size_t len, bool nonblock);
/* One read of up to len bytes (at most the pipe's room) from in at *pos
 * into out; in's own blocking rules hold. */
long splice_file_to_pipe(struct file *in, uint64_t *pos, struct pipe *out, size_t len, bool nonblock);
/* One write of up to len bytes of in's data to out at *pos; what out does
 * not take stays in the pipe. */
long splice_pipe_to_file(struct pipe *in, struct file *out, uint64_t *pos, size_t len, bool nonblock);
/* vmsplice: the app's memory (iov, a kernel copy of its array) into p, as
 * much as fits, or p's data out into it. -EFAULT when nothing moved
 * because of a bad buffer. */
long vmsplice_to_pipe(struct pipe *p, const struct iovec *iov, size_t count, bool nonblock);
long vmsplice_from_pipe(struct pipe *p, const struct iovec *iov, size_t count, bool nonblock);

#endif
