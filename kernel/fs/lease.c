/* File leases, see lease.h. An inode's leases are a short list (one per
 * open file description holding one, almost always none), walked at every
 * open of the file; breakers wait on one queue and recheck at every change.
 * Each lease is also on its file's watches, so the last close ends it. */
#include "kernel/fs/lease.h"

#include <linux/fcntl.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/async_signal.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"
#include "kernel/sched/wait.h"
#include "kernel/time.h"

#define NSEC_PER_SEC 1000000000ull
#define NOT_BREAKING (-1)

unsigned long lease_break_time = 45; /* Linux's default */

struct lease {
	struct file *file; /* not a reference: the lease goes at the last close */
	int fd;            /* si_fd of the break's signal */
	int type;          /* F_RDLCK or F_WRLCK */
	int target;        /* while broken: F_RDLCK or F_UNLCK, taken at deadline */
	uint64_t deadline; /* monotonic ns */
	struct lease *next;
	struct file_watch on_file;
};

static struct wait_queue breakers; /* opens waiting for a break to end */

static void lease_free(struct lease *l)
{
	struct inode *ino = l->file->inode;
	for (struct lease **at = &ino->leases; *at; at = &(*at)->next)
		if (*at == l) {
			*at = l->next;
			break;
		}
	file_watch_remove(l->file, &l->on_file);
	kfree(l);
}

/* Linux's lease_modify: the holder (or the deadline) changes the type; a
 * pending break ends when the lease got where the break asked. */
static void lease_change(struct lease *l, int type)
{
	if (type == F_UNLCK) {
		lease_free(l);
	} else {
		l->type = type;
		if (l->target == F_RDLCK)
			l->target = NOT_BREAKING;
	}
	wait_wake(&breakers, INT32_MAX, ~0u);
}

static void lease_forget(struct file_watch *w)
{
	lease_change((struct lease *)((char *)w - offsetof(struct lease, on_file)), F_UNLCK);
}

static struct lease *lease_of(struct file *f)
{
	for (struct file_watch *w = f->watches; w; w = w->next)
		if (w->forget == lease_forget)
			return (struct lease *)((char *)w - offsetof(struct lease, on_file));
	return NULL;
}

/* Breaks whose holder did not answer in time take effect. */
static void time_out(struct inode *ino)
{
	uint64_t now = time_monotonic_ns();
	struct lease *next;
	for (struct lease *l = ino->leases; l; l = next) {
		next = l->next;
		if (l->target != NOT_BREAKING && l->deadline <= now)
			lease_change(l, l->target);
	}
}

/* Linux's check_conflicting_open: a read lease needs nobody writing; a
 * write lease needs nobody but f having the file open. */
static bool open_conflicts(struct file *f, int type)
{
	struct inode *ino = f->inode;
	if (type == F_RDLCK)
		return ino->open_writers > 0;
	bool writes = (f->flags & O_ACCMODE) != O_RDONLY;
	return ino->open_writers != (writes ? 1 : 0) || ino->open_readers != (writes ? 0 : 1);
}

long lease_set(struct file *f, int fd, int type)
{
	struct inode *ino = f->inode;
	if (!cred_owns(current_cred(), ino))
		return -EACCES;
	if (!S_ISREG(ino->mode) || (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK))
		return -EINVAL;
	time_out(ino);
	struct lease *mine = lease_of(f);
	if (type == F_UNLCK) {
		if (!mine)
			return -EAGAIN;
		lease_change(mine, F_UNLCK);
		return 0;
	}
	if (open_conflicts(f, type))
		return -EAGAIN;
	for (struct lease *l = ino->leases; l; l = l->next)
		if (l != mine && (type == F_WRLCK || l->target == F_UNLCK))
			return -EAGAIN; /* someone else's lease, or an open for writing waiting */
	if (mine) {
		lease_change(mine, type);
	} else {
		if (!(mine = kzalloc(sizeof *mine)))
			return -ENOMEM;
		*mine = (struct lease){.file = f, .type = type, .target = NOT_BREAKING, .next = ino->leases};
		mine->on_file.forget = lease_forget;
		ino->leases = mine;
		file_watch_add(f, &mine->on_file);
	}
	mine->fd = fd;
	struct process *me = current_process();
	if (!f->owner.pid) {
		f->owner.uid = me->cred.ruid;
		f->owner.euid = me->cred.euid;
	}
	f->owner.pid = me->pid;
	f->owner.type = F_OWNER_PID;
	return 0;
}

int lease_get(struct file *f)
{
	if (!f->inode->leases)
		return F_UNLCK;
	time_out(f->inode);
	struct lease *l = lease_of(f);
	return !l ? F_UNLCK : l->target != NOT_BREAKING ? l->target : l->type;
}

static bool conflicts(const struct lease *l, bool want_write) { return want_write || l->type == F_WRLCK; }

/* The earliest deadline among the leases in the way, or 0 when none is. */
static uint64_t blocking_deadline(struct inode *ino, bool want_write)
{
	uint64_t first = 0;
	for (struct lease *l = ino->leases; l; l = l->next)
		if (conflicts(l, want_write) && (!first || l->deadline < first))
			first = l->deadline;
	return first;
}

long lease_break(struct inode *ino, unsigned flags)
{
	if (!ino->leases)
		return 0;
	bool want_write = (flags & O_ACCMODE) != O_RDONLY;
	time_out(ino);
	uint64_t deadline = time_monotonic_ns() + lease_break_time * NSEC_PER_SEC;
	for (struct lease *l = ino->leases; l; l = l->next) {
		if (!conflicts(l, want_write) || l->target == F_UNLCK || (!want_write && l->target != NOT_BREAKING))
			continue;
		l->target = want_write ? F_UNLCK : F_RDLCK;
		l->deadline = deadline;
		async_signal_send(l->file, l->fd, POLL_MSG);
	}
	if (!blocking_deadline(ino, want_write))
		return 0;
	if (flags & O_NONBLOCK)
		return -EWOULDBLOCK;
	inode_get(ino); /* the lookup took none: keep it through the wait */
	long err = 0;
	uint64_t until;
	while (!err && (until = blocking_deadline(ino, want_write))) {
		if (wait_on(&breakers, until) == WAKE_SIGNAL)
			err = -ERESTARTSYS;
		time_out(ino);
	}
	if (!err && ino->nlink == 0 && ino->refs == 1)
		err = -ENOENT; /* unlinked and closed by everyone else meanwhile */
	inode_put(ino);
	return err;
}
