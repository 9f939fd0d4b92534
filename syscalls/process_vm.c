/* process_vm_readv and process_vm_writev: copying between the caller's
 * memory and another process's, segment list to segment list, through a
 * page-sized buffer in the kernel. The caller must be allowed to signal the
 * target (root, or the same user), where Linux asks for ptrace access. */
#include <sys/uio.h>

#include "kernel/errno.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/io_iter.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "syscalls/iovec.h"

/* Moves bytes between the caller's segments (local) and the target's
 * (remote, in the target's address space); returns the bytes moved, or
 * -EFAULT when not even the first could be. */
static long transfer(struct addrspace *target, struct io_iter *local, const struct iovec *remote, size_t rcount,
                     bool write)
{
	uint8_t *bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	long done = 0;
	for (size_t r = 0; r < rcount && local->remaining; r++) {
		uintptr_t at = (uintptr_t)remote[r].iov_base;
		for (size_t left = remote[r].iov_len; left && local->remaining;) {
			size_t n = left < PAGE_SIZE ? left : PAGE_SIZE;
			if (n > local->remaining)
				n = local->remaining;
			int err = write ? io_iter_copy_from(bounce, local, n) || as_write(target, at, bounce, n)
			                : as_read(target, at, bounce, n) || io_iter_copy_to(local, bounce, n);
			if (err)
				goto out;
			done += (long)n;
			at += n;
			left -= n;
		}
	}
out:
	kfree(bounce);
	return done ? done : (local->remaining ? -EFAULT : 0);
}

static long process_vm(int pid, const struct iovec *user_local, unsigned long lcount, const struct iovec *user_remote,
                       unsigned long rcount, unsigned long flags, bool write)
{
	if (flags || lcount > IOV_COUNT_MAX || rcount > IOV_COUNT_MAX)
		return -EINVAL;
	struct iovec *local, *remote;
	long total = iovec_from_user(user_local, lcount, &local);
	if (total < 0)
		return total;
	long err = iovec_from_user(user_remote, rcount, &remote);
	if (err < 0) {
		kfree(local);
		return err;
	}
	struct process *target = process_by_pid(pid);
	if (!target || !target->as)
		err = -ESRCH;
	else if (!kill_permitted(target, 0))
		err = -EPERM;
	else {
		struct io_iter it;
		io_iter_init(&it, local, (unsigned)lcount, true);
		err = transfer(target->as, &it, remote, rcount, write);
	}
	kfree(local);
	kfree(remote);
	return err;
}

long sys_process_vm_readv(int pid, const struct iovec *local, unsigned long lcount, const struct iovec *remote,
                          unsigned long rcount, unsigned long flags)
{
	return process_vm(pid, local, lcount, remote, rcount, flags, false);
}

long sys_process_vm_writev(int pid, const struct iovec *local, unsigned long lcount, const struct iovec *remote,
                           unsigned long rcount, unsigned long flags)
{
	return process_vm(pid, local, lcount, remote, rcount, flags, true);
}
