/* epoll: a set of watched files. Each item hangs a watcher on its file's
 * wait queue (kernel/fs/readiness.h); a wake with matching events puts it on
 * the set's ready list, so epoll_wait looks only at items that changed.
 * Level-triggered items go back on the list after they are reported, edge-
 * triggered ones wait for the next wake, one-shot ones for EPOLL_CTL_MOD. */
#include "kernel/fs/epoll.h"

#include <linux/fcntl.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"

/* Flags about the item, not events it waits for. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS 4

struct epoll;

struct epoll_item {
	struct waiter watch; /* first: the watcher leads back to its item */
	struct epoll *ep;
	struct file *file; /* not a reference: the item goes at the file's last close */
	int fd;
	unsigned events; /* as given, plus EPOLLERR and EPOLLHUP */
	uint64_t data;
	bool ready;
	struct epoll_item *next;       /* the set's items */
	struct epoll_item *ready_next; /* the set's ready list */
	struct file_watch on_file;     /* on the file's watches: let go at its last close */
};

struct epoll {
	struct epoll_item *items;
	struct epoll_item *ready_head, *ready_tail;
	struct wait_queue queue; /* epoll_wait callers and watchers of the set itself */
};

static const struct file_ops epoll_ops;

static unsigned wanted(const struct epoll_item *it) { return it->events & ~EP_PRIVATE_BITS; }

static void make_ready(struct epoll_item *it)
{
	struct epoll *ep = it->ep;
	if (!it->ready) {
		it->ready = true;
		it->ready_next = NULL;
		if (ep->ready_tail)
			ep->ready_tail->ready_next = it;
		else
			ep->ready_head = it;
		ep->ready_tail = it;
	}
	readiness_notify(&ep->queue, EPOLLIN | EPOLLRDNORM);
}

static void item_notify(struct waiter *w, uint32_t bits)
{
	(void)bits; /* the queue matched them against watch.bitset already */
	make_ready((struct epoll_item *)w);
}

static void ready_list_remove(struct epoll *ep, struct epoll_item *it)
{
	if (!it->ready)
		return;
	struct epoll_item *prev = NULL;
	for (struct epoll_item *at = ep->ready_head; at != it; at = at->ready_next)
		prev = at;
	if (prev)
		prev->ready_next = it->ready_next;
	else
		ep->ready_head = it->ready_next;
	if (ep->ready_tail == it)
		ep->ready_tail = prev;
	it->ready = false;
}

static void item_remove(struct epoll_item *it)
{
	struct epoll *ep = it->ep;
	wait_remove(&it->watch);
	ready_list_remove(ep, it);
	for (struct epoll_item **at = &ep->items; *at; at = &(*at)->next)
		if (*at == it) {
			*at = it->next;
			break;
		}
	file_watch_remove(it->file, &it->on_file);
	kfree(it);
}

/* The watched file's last close: its items leave every set, as on Linux. */
static void item_forget(struct file_watch *w)
{
	item_remove((struct epoll_item *)((char *)w - offsetof(struct epoll_item, on_file)));
}

/* Re-polls the item's file: puts it on the ready list if it is ready now. */
static void item_check(struct epoll_item *it)
{
	it->watch.bitset = wanted(it);
	if (file_poll(it->file, NULL) & wanted(it))
		make_ready(it);
}

static unsigned epoll_poll(struct file *f, struct wait_queue **queue)
{
	struct epoll *ep = f->object;
	if (queue)
		*queue = &ep->queue;
	for (struct epoll_item *it = ep->ready_head; it; it = it->ready_next)
		if (file_poll(it->file, NULL) & wanted(it))
			return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->object;
	while (ep->items)
		item_remove(ep->items);
	kfree(ep);
}

static const struct file_ops epoll_ops = {.release = epoll_release, .poll = epoll_poll};

struct file *epoll_create(void)
{
	struct epoll *ep = kzalloc(sizeof *ep);
	if (!ep)
		return NULL;
	struct file *f = file_open_anonymous(NULL, 0600, &epoll_ops, ep, O_RDWR, "anon_inode:[eventpoll]");
	if (!f)
		kfree(ep);
	return f;
}

static struct epoll_item *item_find(struct epoll *ep, struct file *f, int fd)
{
	for (struct epoll_item *it = ep->items; it; it = it->next)
		if (it->file == f && it->fd == fd)
			return it;
	return NULL;
}

/* Whether from's items lead, through nested sets, to target or nest too deep. */
static bool reaches(struct epoll *from, struct epoll *target, int depth)
{
	if (from == target || depth > EP_MAX_NESTS)
		return true;
	for (struct epoll_item *it = from->items; it; it = it->next)
		if (it->file->ops == &epoll_ops && reaches(it->file->object, target, depth + 1))
			return true;
	return false;
}

static long item_add(struct epoll *ep, struct file *f, int fd, const struct epoll_event *ev)
{
	if (f->ops == &epoll_ops && reaches(f->object, ep, 1))
		return -ELOOP;
	struct epoll_item *it = kzalloc(sizeof *it);
	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->file = f;
	it->fd = fd;
	it->events = ev->events | POLL_ALWAYS_REPORTED;
	it->data = ev->data;
	it->next = ep->items;
	ep->items = it;
	it->on_file.forget = item_forget;
	file_watch_add(f, &it->on_file);
	struct wait_queue *q;
	file_poll(f, &q);
	it->watch = (struct waiter){.notify = item_notify, .bitset = wanted(it)};
	if (q)
		wait_add(q, &it->watch, NULL);
	item_check(it);
	return 0;
}

long epoll_ctl(struct file *epf, int op, struct file *f, int fd, struct epoll_event ev)
{
	if (!file_pollable(f))
		return -EPERM;
	if (epf->ops != &epoll_ops || epf == f)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev.events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD || f->ops == &epoll_ops || (ev.events & ~EP_EXCLUSIVE_OK_BITS))
			return -EINVAL;
	}
	struct epoll *ep = epf->object;
	struct epoll_item *it = item_find(ep, f, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		return it ? -EEXIST : item_add(ep, f, fd, &ev);
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		it->events = ev.events | POLL_ALWAYS_REPORTED;
		it->data = ev.data;
		item_check(it);
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		item_remove(it);
		return 0;
	default:
		return -EINVAL;
	}
}

static void ready_list_append(struct epoll *ep, struct epoll_item *first, struct epoll_item *last)
{
	if (!first)
		return;
	last->ready_next = NULL;
	if (ep->ready_tail)
		ep->ready_tail->ready_next = first;
	else
		ep->ready_head = first;
	ep->ready_tail = last;
}

/* Reports up to max ready items. The ready list is taken whole: what is
 * not reported stays at its head, level-triggered items that were go to
 * its tail, others leave it. */
static long harvest(struct epoll *ep, struct epoll_event *user_events, int max)
{
	struct epoll_item *pending = ep->ready_head;
	struct epoll_item *again = NULL, *again_tail = NULL;
	ep->ready_head = ep->ready_tail = NULL;
	long n = 0;
	while (pending && n < max) {
		struct epoll_item *it = pending;
		unsigned revents = file_poll(it->file, NULL) & wanted(it);
		if (revents) {
			struct epoll_event out = {.events = revents, .data = it->data};
			if (copy_to_user(&user_events[n], &out, sizeof out)) {
				if (!n)
					n = -EFAULT;
				break;
			}
			n++;
		}
		pending = it->ready_next;
		it->ready = false;
		if (!revents)
			continue;
		if (it->events & EPOLLONESHOT) {
			it->events &= EP_PRIVATE_BITS; /* disarmed until EPOLL_CTL_MOD */
			it->watch.bitset = 0;
		} else if (!(it->events & EPOLLET)) {
			it->ready = true;
			if (again_tail)
				again_tail->ready_next = it;
			else
				again = it;
			again_tail = it;
		}
	}
	struct epoll_item *pending_tail = pending;
	while (pending_tail && pending_tail->ready_next)
		pending_tail = pending_tail->ready_next;
	ready_list_append(ep, pending, pending_tail);
	ready_list_append(ep, again, again_tail);
	return n;
}

long epoll_wait_events(struct file *epf, struct epoll_event *user_events, int max, uint64_t deadline)
{
	if (epf->ops != &epoll_ops)
		return -EINVAL;
	struct epoll *ep = epf->object;
	file_get(epf);
	long n;
	for (;;) {
		n = harvest(ep, user_events, max);
		if (n || (deadline && deadline <= time_monotonic_ns()))
			break;
		long err = readiness_wait(&ep->queue, deadline);
		if (err == -ERESTARTSYS) {
			n = -EINTR; /* as Linux: epoll_wait is never restarted */
			break;
		}
	}
	file_put(epf);
	return n;
}
