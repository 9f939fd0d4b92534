/* pipe and pipe2: a new pipe (kernel/fs/pipe.c) on the two lowest free
 * descriptors. */
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/pipe.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

long sys_pipe2(int *user_fds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct file *ends[2];
	long err = pipe_create((unsigned)flags, ends);
	if (err)
		return err;
	int fds[2] = {-1, -1};
	struct fd_table *table = current_process()->files;
	for (int i = 0; i < 2 && !err; i++)
		if ((fds[i] = fd_install(table, ends[i], 0, flags & O_CLOEXEC)) < 0)
			err = fds[i];
	if (!err && copy_to_user(user_fds, fds, sizeof fds))
		err = -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (err && fds[i] >= 0)
			fd_close(table, fds[i]);
		file_put(ends[i]);
	}
	return err;
}

long sys_pipe(int *user_fds) { return sys_pipe2(user_fds, 0); }
