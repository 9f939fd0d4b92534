/* A walk over a scatter list (an iovec array already copied into the
 * kernel) whose buffers are in the app's memory or in the kernel: what
 * sendmsg, recvmsg and readv/writev on sockets move bytes through. */
#ifndef SOLE_IO_ITER_H
#define SOLE_IO_ITER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

struct io_iter {
	const struct iovec *iov; /* the segments left; iov[0] is the current one */
	unsigned count;		 /* how many segments are left */
	size_t offset;		 /* bytes of iov[0] already done */
	size_t remaining;	 /* bytes left in all */
	bool user;		 /* the buffers are the app's */
};

/* iov (count entries, lengths already checked) must outlive the walk. */
void io_iter_init(struct io_iter *it, const struct iovec *iov, unsigned count, bool user);
/* Moves n bytes (n <= remaining) out of the walk into dst, or from src into
 * it, and advances: 0, or -EFAULT (after moving what could be moved). */
int io_iter_copy_from(void *dst, struct io_iter *it, size_t n);
int io_iter_copy_to(struct io_iter *it, const void *src, size_t n);
/* Skips n bytes (n <= remaining). */
void io_iter_advance(struct io_iter *it, size_t n);

#endif
