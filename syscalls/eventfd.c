/* eventfd and eventfd2: a new eventfd (kernel/fs/eventfd.c) on the lowest
 * free descriptor. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/eventfd.h"
#include "kernel/proc/process.h"

long sys_eventfd2(unsigned initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	return fd_install_new(current_process()->files, eventfd_create(initval, (unsigned)flags), flags & O_CLOEXEC);
}

long sys_eventfd(unsigned initval) { return sys_eventfd2(initval, 0); }
