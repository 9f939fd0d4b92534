/* signalfd and signalfd4: a new signalfd (kernel/fs/signalfd.c), or a new
 * mask for one the caller has open. */
#include <linux/signalfd.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/signalfd.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

long sys_signalfd4(int fd, const uint64_t *user_mask, size_t sizemask, int flags)
{
	if (sizemask != sizeof(uint64_t) || (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)))
		return -EINVAL;
	uint64_t mask;
	if (copy_from_user(&mask, user_mask, sizeof mask))
		return -EFAULT;
	mask &= ~SIGNALS_UNBLOCKABLE;
	if (fd == -1)
		return fd_install_new(current_process()->files, signalfd_create(mask, (unsigned)flags),
		                      flags & SFD_CLOEXEC);
	struct file *f = current_file(fd);
	if (!f)
		return -EBADF;
	int err = signalfd_set_mask(f, mask);
	return err ? err : fd;
}

long sys_signalfd(int fd, const uint64_t *user_mask, size_t sizemask)
{
	return sys_signalfd4(fd, user_mask, sizemask, 0);
}
