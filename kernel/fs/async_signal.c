/* Signal-driven I/O, see async_signal.h. The watcher hangs on the file's
 * readiness wait queue as an epoll item does (kernel/fs/epoll.c), and on
 * the file's watches so that the last close lets it go. */
#include "kernel/fs/async_signal.h"

#include <linux/fcntl.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"

struct async_watch {
	struct waiter watch; /* first: the waiter leads back to its watch */
	struct file *file;   /* not a reference: the watch goes at the last close */
	int fd;
	struct file_watch on_file;
};

/* si_band for each reason, as Linux's band_table. */
static const unsigned band_of[] = {
    [POLL_IN] = EPOLLIN | EPOLLRDNORM,
    [POLL_OUT] = EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND,
    [POLL_MSG] = EPOLLIN | EPOLLRDNORM | EPOLLMSG,
    [POLL_ERR] = EPOLLERR,
    [POLL_PRI] = EPOLLPRI | EPOLLRDBAND,
    [POLL_HUP] = EPOLLHUP | EPOLLERR,
};

/* Linux's sigio_perm: kill's rule, with the credentials of whoever set the
 * owner rather than the sender's (the sender is whoever made the file
 * ready). */
static bool permitted(const struct file_owner *o, const struct process *p)
{
	const struct credentials *c = &p->cred;
	return o->euid == 0 || o->euid == c->suid || o->euid == c->ruid || o->uid == c->suid || o->uid == c->ruid;
}

static int deliver(struct process *p, struct thread *t, const struct signal_info *info)
{
	return t ? signal_send_thread(t, info) : signal_send_process(p, info);
}

/* F_SETSIG's signal carries the reason and the descriptor; when it cannot
 * be queued, a plain SIGIO goes instead, as on Linux. */
static void send_to(struct process *p, struct thread *t, const struct file_owner *o, int fd, int reason)
{
	if (p->state != PROCESS_ALIVE || !permitted(o, p))
		return;
	if (o->signal) {
		struct signal_info info = {.signo = o->signal, .code = reason};
		info.poll.band = band_of[reason];
		info.poll.fd = fd;
		if (!deliver(p, t, &info))
			return;
	}
	struct signal_info plain = {.signo = SIGIO, .code = SI_KERNEL};
	deliver(p, t, &plain);
}

void async_signal_send(struct file *f, int fd, int reason)
{
	const struct file_owner *o = &f->owner;
	if (o->pid <= 0)
		return;
	if (o->type == F_OWNER_TID) {
		struct thread *t = thread_by_tid(o->pid);
		if (t)
			send_to(t->proc, t, o, fd, reason);
	} else if (o->type == F_OWNER_PID) {
		struct process *p = process_by_pid(o->pid);
		if (p)
			send_to(p, NULL, o, fd, reason);
	} else {
		for (struct process *p = process_first(); p; p = process_next(p))
			if (p->pgid == o->pid)
				send_to(p, NULL, o, fd, reason);
	}
}

/* A wake on the file's queue: the events that hold now among those that
 * may have changed name the reasons, one signal each (a read end never
 * hears of room, a write end never of data). */
static void watch_notify(struct waiter *w, uint32_t bits)
{
	struct async_watch *a = (struct async_watch *)w;
	unsigned now = bits & file_poll(a->file, NULL);
	if (now & EPOLLIN)
		async_signal_send(a->file, a->fd, POLL_IN);
	if (now & EPOLLOUT)
		async_signal_send(a->file, a->fd, POLL_OUT);
	if (now & EPOLLPRI)
		async_signal_send(a->file, a->fd, POLL_PRI);
	if ((now & (EPOLLERR | EPOLLHUP)) && !(now & (EPOLLIN | EPOLLOUT)))
		async_signal_send(a->file, a->fd, now & EPOLLHUP ? POLL_HUP : POLL_ERR);
}

static void watch_remove(struct async_watch *a)
{
	wait_remove(&a->watch);
	file_watch_remove(a->file, &a->on_file);
	kfree(a);
}

static void watch_forget(struct file_watch *w)
{
	watch_remove((struct async_watch *)((char *)w - offsetof(struct async_watch, on_file)));
}

static struct async_watch *watch_of(struct file *f)
{
	for (struct file_watch *w = f->watches; w; w = w->next)
		if (w->forget == watch_forget)
			return (struct async_watch *)((char *)w - offsetof(struct async_watch, on_file));
	return NULL;
}

int async_signal_set(struct file *f, int fd, bool on)
{
	struct async_watch *a = watch_of(f);
	if (!on) {
		if (a)
			watch_remove(a);
		return 0;
	}
	if (a) {
		a->fd = fd; /* on again through another descriptor */
		return 0;
	}
	struct wait_queue *q;
	if (!file_pollable(f) || (file_poll(f, &q), !q))
		return 0;
	if (!(a = kzalloc(sizeof *a)))
		return -ENOMEM;
	a->file = f;
	a->fd = fd;
	a->on_file.forget = watch_forget;
	file_watch_add(f, &a->on_file);
	a->watch = (struct waiter){.notify = watch_notify, .bitset = ~0u};
	wait_add(q, &a->watch, NULL);
	return 0;
}
