/* unshare and setns. sole has no namespaces: asking for a new one gets
 * EPERM, as in a container without CAP_SYS_ADMIN, and no descriptor names
 * one, so setns answers EINVAL for any open file. unshare's other work is
 * real: a private copy of the descriptor table (CLONE_FILES) or of the cwd
 * and umask (CLONE_FS) when they were shared with another process. */
#include <linux/sched.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/proc/process.h"

#define NAMESPACES                                                                                                     \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |   \
	 CLONE_NEWTIME)
/* Sharing that unshare may drop only when nothing shares it: one thread. */
#define SINGLE_THREAD_ONLY (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)
#define UNSHARE_KNOWN (NAMESPACES | SINGLE_THREAD_ONLY | CLONE_FILES | CLONE_FS | CLONE_SYSVSEM)

long sys_unshare(unsigned long flags)
{
	struct process *p = current_process();
	if (flags & ~(unsigned long)UNSHARE_KNOWN)
		return -EINVAL;
	if (flags & NAMESPACES)
		return -EPERM;
	if ((flags & SINGLE_THREAD_ONLY) && p->live_threads > 1)
		return -EINVAL;
	if ((flags & CLONE_FILES) && fd_table_unshare(&p->files))
		return -ENOMEM;
	if ((flags & CLONE_FS) && p->fs->refs > 1) {
		struct fs_context *own = fs_context_copy(p->fs);
		if (!own)
			return -ENOMEM;
		fs_context_put(p->fs);
		p->fs = own;
	}
	return 0; /* CLONE_SYSVSEM: no SysV semaphore undo lists to drop yet */
}

long sys_setns(int fd, int nstype)
{
	(void)nstype;
	return current_file(fd) ? -EINVAL : -EBADF;
}
