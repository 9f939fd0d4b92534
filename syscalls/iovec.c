/* Copying the app's iovec arrays in, see iovec.h. */
#include "syscalls/iovec.h"

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"

long iovec_from_user(const struct iovec *user_iov, size_t count, struct iovec **out)
{
	*out = NULL;
	if (count == 0)
		return 0;
	struct iovec *iov = kmalloc(count * sizeof *iov);
	if (!iov)
		return -ENOMEM;
	long err = copy_from_user(iov, user_iov, count * sizeof *iov) ? -EFAULT : 0;
	size_t total = 0;
	for (size_t i = 0; i < count && !err; i++) {
		if ((long)iov[i].iov_len < 0)
			err = -EINVAL;
		else if (!user_range_ok(iov[i].iov_base, iov[i].iov_len))
			err = -EFAULT;
		else if (iov[i].iov_len > RW_MAX - total)
			iov[i].iov_len = RW_MAX - total; /* Linux caps the whole at MAX_RW_COUNT */
		total += iov[i].iov_len;
	}
	if (err) {
		kfree(iov);
		return err;
	}
	*out = iov;
	return (long)total;
}
