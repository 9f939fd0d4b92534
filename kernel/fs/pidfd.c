/* pidfds, see pidfd.h. A pidfd holds the pid and the start time of its
 * process, so that a pid used again after a wrap never passes for it. */
#include "kernel/fs/pidfd.h"

#include <linux/eventpoll.h>
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"

struct pidfd {
	int pid;
	uint64_t start_ns;
};

static struct process *named(const struct pidfd *d)
{
	struct process *p = process_by_pid(d->pid);
	return p && p->start_ns == d->start_ns && p->state != PROCESS_REAPED ? p : NULL;
}

/* Readable once the process has ended (a zombie, or reaped already). */
static unsigned pidfd_poll(struct file *f, struct wait_queue **queue)
{
	if (queue)
		*queue = process_end_queue();
	struct process *p = named(f->object);
	return !p || p->state != PROCESS_ALIVE ? EPOLLIN | EPOLLRDNORM : 0;
}

static void pidfd_release(struct file *f) { kfree(f->object); }

static const struct file_ops pidfd_ops = {.release = pidfd_release, .poll = pidfd_poll};

struct file *pidfd_create(struct process *p, unsigned flags)
{
	struct pidfd *d = kmalloc(sizeof *d);
	if (!d)
		return NULL;
	*d = (struct pidfd){p->pid, p->start_ns};
	struct file *f =
	    file_open_anonymous(NULL, 0600, &pidfd_ops, d, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[pidfd]");
	if (!f)
		kfree(d);
	return f;
}

long pidfd_process(struct file *f, struct process **out)
{
	if (f->ops != &pidfd_ops)
		return -EBADF;
	*out = named(f->object);
	return *out ? 0 : -ESRCH;
}
