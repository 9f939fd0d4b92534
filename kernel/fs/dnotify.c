/* dnotify, fcntl's F_NOTIFY: a folder's file asks for a signal when the
 * folder's entries are created, deleted, renamed, read, written or changed
 * (DN_* bits), once or, with DN_MULTISHOT, every time; a second F_NOTIFY
 * adds to the first, and one with no event removes the watch. It rides on
 * inotify's watches (kernel/fs/inotify.h): the same events, mapped as
 * Linux's dnotify maps them onto fsnotify's, go to the file's owner as
 * SIGIO (or F_SETSIG's signal, with si_fd). */
#include "kernel/fs/dnotify.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/inotify.h"
#include "kernel/proc/process.h"

/* Linux's convert_arg: DN_* to the events that raise them. */
static uint32_t inotify_mask(unsigned long arg)
{
	uint32_t mask = 0;
	if (arg & DN_ACCESS)
		mask |= IN_ACCESS;
	if (arg & DN_MODIFY)
		mask |= IN_MODIFY;
	if (arg & DN_CREATE)
		mask |= IN_CREATE | IN_MOVED_TO;
	if (arg & DN_DELETE)
		mask |= IN_DELETE | IN_MOVED_FROM;
	if (arg & DN_RENAME)
		mask |= IN_MOVED_FROM | IN_MOVED_TO;
	if (arg & DN_ATTRIB)
		mask |= IN_ATTRIB;
	if (mask && !(arg & DN_MULTISHOT))
		mask |= IN_ONESHOT;
	return mask;
}

long dnotify_set(struct file *f, int fd, unsigned long arg)
{
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	uint32_t mask = inotify_mask(arg);
	if (!mask) {
		inotify_signal_watch_remove(f);
		return 0;
	}
	/* As Linux's f_setown without force: the caller, unless one is set. */
	if (!f->owner.pid) {
		const struct process *me = current_process();
		f->owner.pid = me->pid;
		f->owner.type = F_OWNER_PID;
		f->owner.uid = me->cred.ruid;
		f->owner.euid = me->cred.euid;
	}
	return inotify_signal_watch_add(f, fd, mask);
}
