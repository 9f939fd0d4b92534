/* Signal masks and timeouts for the waiting calls, see wait_args.h. */
#include "syscalls/wait_args.h"

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/signal.h"
#include "syscalls/timespec.h"

long wait_sigmask_install(const uint64_t *user_mask, size_t size)
{
	uint64_t mask;
	if (!user_mask)
		return 0;
	if (size != sizeof mask)
		return -EINVAL;
	if (copy_from_user(&mask, user_mask, sizeof mask))
		return -EFAULT;
	signal_set_temporary_mask(mask);
	return 0;
}

int deadline_from_user_timespec(const struct __kernel_timespec *user, uint64_t *deadline)
{
	uint64_t ns;
	*deadline = 0;
	if (!user)
		return 0;
	int err = timespec_from_user(user, &ns);
	if (!err)
		*deadline = deadline_after_ns(ns);
	return err;
}
