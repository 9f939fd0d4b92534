/* pidfd_open, pidfd_send_signal and pidfd_getfd: processes named by a
 * file (kernel/fs/pidfd.c) rather than by a pid that may be used again. */
#include <linux/fcntl.h>
#include <linux/pidfd.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/pidfd.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"

long sys_pidfd_open(int pid, unsigned flags)
{
	if (flags & ~(unsigned)PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct process *p = process_by_pid(pid);
	if (!p || p->state == PROCESS_REAPED)
		return -ESRCH;
	return fd_install_new(current_process()->files, pidfd_create(p, flags), true);
}

/* The process a pidfd descriptor names. */
static long process_of(int pidfd, struct process **out)
{
	struct file *f = current_file(pidfd);
	return f ? pidfd_process(f, out) : -EBADF;
}

/* What pidfd_send_signal also takes, as Linux does: a /proc/PID folder
 * open as a directory names its process (ESRCH once that has been reaped). */
static long process_or_proc_folder(int pidfd, struct process **out)
{
	struct file *f = current_file(pidfd);
	if (!f)
		return -EBADF;
	struct inode *ino = f->inode;
	bool proc_folder = ino && S_ISDIR(ino->mode) && ino->dir.proc_pid > 0 && ino->dir.parent &&
	                   ino->dir.parent->dir.proc_pid == 0;
	if (!proc_folder)
		return pidfd_process(f, out);
	*out = process_by_pid(ino->dir.proc_pid);
	return *out && (*out)->state != PROCESS_REAPED ? 0 : -ESRCH;
}

long sys_pidfd_send_signal(int pidfd, int sig, const struct signal_info *user_info, unsigned flags)
{
	if (flags)
		return -EINVAL;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct process *target;
	long err = process_or_proc_folder(pidfd, &target);
	if (err)
		return err;
	struct signal_info info = {.signo = sig, .code = SI_USER, .sender = {.pid = current_process()->pid}};
	if (user_info) {
		if (copy_from_user(&info, user_info, sizeof info))
			return -EFAULT;
		if (info.signo != sig)
			return -EINVAL;
		/* Only the kernel may claim SI_USER or a positive code to another process. */
		if (target != current_process() && (info.code >= 0 || info.code == SI_TKILL))
			return -EPERM;
	}
	return kill_process(target, &info);
}

/* A copy of another process's descriptor: the caller must be allowed to
 * signal it (Linux asks for ptrace rights, which root and the same user
 * have here). */
long sys_pidfd_getfd(int pidfd, int targetfd, unsigned flags)
{
	if (flags)
		return -EINVAL;
	struct process *target;
	long err = process_of(pidfd, &target);
	if (err)
		return err;
	if (!kill_permitted(target, 0))
		return -EPERM;
	struct file *f = target->files ? fd_get(target->files, targetfd) : NULL;
	if (!f)
		return -EBADF;
	return fd_install(current_process()->files, f, 0, true);
}
