/* iovec arrays from the app (readv, writev, sendmsg, recvmsg,
 * process_vm_readv): copied in and checked once, for every family. */
#ifndef SOLE_IOVEC_H
#define SOLE_IOVEC_H

#include <stddef.h>
#include <sys/uio.h>

#define RW_MAX 0x7ffff000l /* Linux's MAX_RW_COUNT: the most one call moves */
#define IOV_COUNT_MAX 1024 /* UIO_MAXIOV */

/* Copies an iovec array of count (<= 1024) entries from the app into a
 * new kernel array (*out, NULL for none; kfree it): lengths checked as
 * Linux checks them (-EINVAL negative, -EFAULT outside the app's memory)
 * and the total capped at MAX_RW_COUNT. Returns the total or -errno. */
long iovec_from_user(const struct iovec *user_iov, size_t count, struct iovec **out);

#endif
