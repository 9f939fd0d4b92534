/* inotify objects: a queue of events read as struct inotify_event records,
 * fed by watches on inodes of the tree. Linux's rules: identical events in
 * a row are merged into one; past INOTIFY_MAX_QUEUED_EVENTS one
 * IN_Q_OVERFLOW stands for every event lost; a watch that goes (removed,
 * IN_ONESHOT after its event, or its inode gone) leaves an IN_IGNORED.
 *
 * An inode lists its watches (usually one or two); an instance lists its
 * own, walked only by inotify_rm_watch. dnotify's watches (F_NOTIFY,
 * kernel/fs/dnotify.c) sit in the same lists, and signal a file's owner
 * instead of queueing an event. The folder a child's events go to
 * is the one that holds its latest link (inode.notify_parent): a file
 * unlinked from it is no longer reported there, as IN_EXCL_UNLINK asks. */
#include "kernel/fs/inotify.h"

#include <asm/ioctls.h>
#include <linux/fcntl.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/async_signal.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"

/* The flags a watch keeps besides its events. */
#define WATCH_FLAGS (IN_ONESHOT | IN_EXCL_UNLINK)

struct inotify_watch {
	struct inode *inode; /* no reference: the inode drops its watches as it goes */
	struct inotify *owner; /* NULL for a signal watch (dnotify) */
	int wd;
	uint32_t mask; /* IN_ALL_EVENTS bits and WATCH_FLAGS */
	struct inotify_watch *next_on_inode, *next_in_owner;
	/* A signal watch: the file whose owner is signalled, naming fd; it
	 * goes at that file's last close. */
	struct file *signal_file;
	int signal_fd;
	struct file_watch on_file;
};

/* struct inotify_event's layout, without its flexible name. */
struct event_record {
	int32_t wd;
	uint32_t mask, cookie, len;
};
_Static_assert(sizeof(struct event_record) == sizeof(struct inotify_event), "inotify_event's layout");

struct queued_event {
	struct queued_event *next;
	struct event_record header;
	char name[]; /* header.len bytes, right after the header: the name, NUL-padded */
};

/* What one user's instances hold, against the max_user limits. */
struct user_charge {
	uint32_t uid;
	unsigned long instances, watches;
	struct user_charge *next;
};

struct inotify {
	struct user_charge *user;
	struct inotify_watch *watches;
	int last_wd;
	struct queued_event *head, *tail;
	unsigned queued; /* events in the queue, IN_Q_OVERFLOW included */
	size_t bytes;    /* their size as read gives them: FIONREAD */
	struct queued_event *overflow;
	bool overflow_queued;
	struct wait_queue queue;
};

static uint32_t last_cookie;
static struct user_charge *charges;
unsigned long inotify_max_user_instances = 128, inotify_max_user_watches = 65536;

/* uid's charge record, made on first use; NULL when out of memory. */
static struct user_charge *charge_of(uint32_t uid)
{
	for (struct user_charge *c = charges; c; c = c->next)
		if (c->uid == uid)
			return c;
	struct user_charge *c = kzalloc(sizeof *c);
	if (c) {
		*c = (struct user_charge){.uid = uid, .next = charges};
		charges = c;
	}
	return c;
}

static size_t event_size(const struct queued_event *e) { return sizeof e->header + e->header.len; }

static void append(struct inotify *in, struct queued_event *e)
{
	e->next = NULL;
	if (in->tail)
		in->tail->next = e;
	else
		in->head = e;
	in->tail = e;
	in->queued++;
	in->bytes += event_size(e);
	readiness_notify(&in->queue, EPOLLIN | EPOLLRDNORM);
}

/* Linux merges an event into the last one queued when they are the same:
 * mask, watch and name (the cookie is not compared). */
static bool same_as_last(const struct inotify *in, int wd, uint32_t mask, const char *name, size_t len)
{
	const struct queued_event *last = in->tail;
	if (!last || (last->header.mask & IN_IGNORED) || last->header.mask != mask || last->header.wd != wd)
		return false;
	size_t last_len = last->header.len ? strlen(last->name) : 0;
	return last_len == len && (!len || !memcmp(last->name, name, len));
}

static void queue_event(struct inotify *in, int wd, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	if (in->queued >= INOTIFY_MAX_QUEUED_EVENTS) {
		if (!in->overflow_queued) {
			in->overflow_queued = true;
			append(in, in->overflow);
		}
		return;
	}
	if (same_as_last(in, wd, mask, name, len))
		return;
	/* The name takes whole records' room, NUL included, as on Linux. */
	uint32_t room =
	    len ? (uint32_t)((len + sizeof(struct inotify_event)) & ~(sizeof(struct inotify_event) - 1)) : 0;
	struct queued_event *e = kzalloc(sizeof *e + room);
	if (!e)
		return;
	e->header = (struct event_record){.wd = wd, .mask = mask, .cookie = cookie, .len = room};
	if (len)
		memcpy(e->name, name, len);
	append(in, e);
}

static void unlink_watch(struct inotify_watch *w)
{
	for (struct inotify_watch **at = &w->inode->inotify_watches; *at; at = &(*at)->next_on_inode)
		if (*at == w) {
			*at = w->next_on_inode;
			break;
		}
	if (!w->owner) {
		file_watch_remove(w->signal_file, &w->on_file);
		kfree(w);
		return;
	}
	for (struct inotify_watch **at = &w->owner->watches; *at; at = &(*at)->next_in_owner)
		if (*at == w) {
			*at = w->next_in_owner;
			break;
		}
	w->owner->user->watches--;
	kfree(w);
}

/* A watch goes, and an instance's says so. */
static void drop_watch(struct inotify_watch *w)
{
	if (w->owner)
		queue_event(w->owner, w->wd, IN_IGNORED, 0, NULL, 0);
	unlink_watch(w);
}

/* event: one IN_* event bit, with IN_ISDIR when the subject is a folder.
 * path_event: an event on an open file or a path (not a link count or a
 * folder's entry), which IN_EXCL_UNLINK leaves out once subject is unlinked. */
static void deliver(struct inode *ino, uint32_t event, uint32_t cookie, const char *name, size_t len,
                    const struct inode *subject, bool path_event)
{
	/* inotify never reported IN_ISDIR with these two. */
	if (event & (IN_DELETE_SELF | IN_MOVE_SELF))
		event &= ~(uint32_t)IN_ISDIR;
	struct inotify_watch *next;
	for (struct inotify_watch *w = ino->inotify_watches; w; w = next) {
		next = w->next_on_inode;
		if (!(w->mask & event & IN_ALL_EVENTS))
			continue;
		if (path_event && (w->mask & IN_EXCL_UNLINK) && subject->nlink == 0)
			continue;
		if (w->owner)
			queue_event(w->owner, w->wd, event, cookie, name, len);
		else
			async_signal_send(w->signal_file, w->signal_fd, POLL_MSG);
		if (w->mask & IN_ONESHOT)
			drop_watch(w);
	}
}

static uint32_t with_isdir(const struct inode *ino, uint32_t mask)
{
	return S_ISDIR(ino->mode) ? mask | IN_ISDIR : mask;
}

/* The child's name in dir: a walk of the folder's entries, done only when
 * the folder is watched. */
static const char *name_in(const struct inode *dir, const struct inode *child)
{
	for (const struct dentry *d = dir->dir.children; d; d = d->next)
		if (d->inode == child)
			return d->name;
	return NULL;
}

void inotify_notify(struct inode *ino, uint32_t mask, bool self_only)
{
	uint32_t event = with_isdir(ino, mask);
	struct inode *dir = ino->notify_parent;
	if (!self_only && dir && inotify_watched(dir)) {
		const char *name = name_in(dir, ino);
		if (name)
			deliver(dir, event, 0, name, strlen(name), ino, true);
	}
	deliver(ino, event, 0, NULL, 0, ino, !self_only);
}

void inotify_entry_changed(struct inode *dir, uint32_t mask, const char *name, size_t len, bool is_dir)
{
	deliver(dir, is_dir ? mask | IN_ISDIR : mask, 0, name, len, dir, false);
}

void inotify_moved(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
                   size_t newlen, struct inode *src)
{
	uint32_t cookie = ++last_cookie;
	if (!cookie)
		cookie = ++last_cookie;
	deliver(olddir, with_isdir(src, IN_MOVED_FROM), cookie, oldname, oldlen, src, false);
	deliver(newdir, with_isdir(src, IN_MOVED_TO), cookie, newname, newlen, src, false);
}

void inotify_forget_inode(struct inode *ino)
{
	deliver(ino, IN_DELETE_SELF, 0, NULL, 0, ino, false);
	while (ino->inotify_watches)
		drop_watch(ino->inotify_watches);
}

long inotify_watch_add(struct file *f, struct inode *ino, uint32_t mask)
{
	struct inotify *in = f->object;
	uint32_t keep = mask & (IN_ALL_EVENTS | WATCH_FLAGS);
	for (struct inotify_watch *w = ino->inotify_watches; w; w = w->next_on_inode) {
		if (w->owner != in)
			continue;
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		w->mask = mask & IN_MASK_ADD ? w->mask | keep : keep;
		return w->wd;
	}
	if (in->user->watches >= inotify_max_user_watches)
		return -ENOSPC;
	struct inotify_watch *w = kzalloc(sizeof *w);
	if (!w)
		return -ENOMEM;
	in->user->watches++;
	*w = (struct inotify_watch){.inode = ino, .owner = in, .wd = ++in->last_wd, .mask = keep};
	w->next_on_inode = ino->inotify_watches;
	ino->inotify_watches = w;
	w->next_in_owner = in->watches;
	in->watches = w;
	return w->wd;
}

static void signal_watch_forget(struct file_watch *fw)
{
	struct inotify_watch *w = (struct inotify_watch *)((char *)fw - offsetof(struct inotify_watch, on_file));
	unlink_watch(w);
}

static struct inotify_watch *signal_watch_of(const struct file *f)
{
	struct inotify_watch *w = f->inode->inotify_watches;
	while (w && !(!w->owner && w->signal_file == f))
		w = w->next_on_inode;
	return w;
}

int inotify_signal_watch_add(struct file *f, int fd, uint32_t mask)
{
	struct inode *ino = f->inode;
	struct inotify_watch *w = signal_watch_of(f);
	mask &= IN_ALL_EVENTS | IN_ONESHOT;
	if (w) {
		/* Once repeating, it stays so. */
		uint32_t oneshot = w->mask & mask & IN_ONESHOT;
		w->mask = ((w->mask | mask) & IN_ALL_EVENTS) | oneshot;
	} else {
		if (!(w = kzalloc(sizeof *w)))
			return -ENOMEM;
		*w = (struct inotify_watch){.inode = ino, .signal_file = f, .mask = mask, .next_on_inode = ino->inotify_watches};
		w->on_file.forget = signal_watch_forget;
		ino->inotify_watches = w;
		file_watch_add(f, &w->on_file);
	}
	w->signal_fd = fd;
	return 0;
}

void inotify_signal_watch_remove(struct file *f)
{
	struct inotify_watch *w = signal_watch_of(f);
	if (w)
		unlink_watch(w);
}

int inotify_watch_remove(struct file *f, int wd)
{
	struct inotify *in = f->object;
	for (struct inotify_watch *w = in->watches; w; w = w->next_in_owner)
		if (w->wd == wd) {
			drop_watch(w);
			return 0;
		}
	return -EINVAL;
}

static struct queued_event *pop(struct inotify *in)
{
	struct queued_event *e = in->head;
	in->head = e->next;
	if (!in->head)
		in->tail = NULL;
	in->queued--;
	in->bytes -= event_size(e);
	if (e == in->overflow)
		in->overflow_queued = false;
	return e;
}

/* Whole records only: a buffer too small for the first gives EINVAL. */
static long inotify_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct inotify *in = f->object;
	while (!in->head) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&in->queue, 0);
		if (err)
			return err;
	}
	size_t done = 0;
	while (in->head && event_size(in->head) <= len - done) {
		struct queued_event *e = in->head;
		if (iobuf_put(buf, done, &e->header, event_size(e)))
			return done ? (long)done : -EFAULT;
		done += event_size(pop(in));
		if (e != in->overflow)
			kfree(e);
	}
	return done ? (long)done : -EINVAL;
}

static long inotify_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct inotify *in = f->object;
	if (cmd != FIONREAD)
		return -ENOTTY;
	int n = (int)in->bytes;
	return copy_to_user((void *)arg, &n, sizeof n) ? -EFAULT : 0;
}

static unsigned inotify_poll(struct file *f, struct wait_queue **queue)
{
	struct inotify *in = f->object;
	if (queue)
		*queue = &in->queue;
	return in->head ? EPOLLIN | EPOLLRDNORM : 0;
}

/* The instance's last close: its watches go without a word. */
static void inotify_release(struct file *f)
{
	struct inotify *in = f->object;
	while (in->watches)
		unlink_watch(in->watches);
	while (in->head) {
		struct queued_event *e = pop(in);
		if (e != in->overflow)
			kfree(e);
	}
	kfree(in->overflow);
	in->user->instances--;
	kfree(in);
}

static const struct file_ops inotify_ops = {
    .read = inotify_read, .ioctl = inotify_ioctl, .release = inotify_release, .poll = inotify_poll};

bool inotify_is_instance(const struct file *f) { return f->ops == &inotify_ops; }

int inotify_create(unsigned flags, uint32_t uid, struct file **out)
{
	struct user_charge *user = charge_of(uid);
	if (!user)
		return -ENOMEM;
	if (user->instances >= inotify_max_user_instances)
		return -EMFILE;
	struct inotify *in = kzalloc(sizeof *in);
	struct queued_event *overflow = kzalloc(sizeof *overflow);
	struct file *f = NULL;
	if (in && overflow) {
		overflow->header = (struct event_record){.wd = -1, .mask = IN_Q_OVERFLOW};
		in->overflow = overflow;
		in->user = user;
		f = file_open_anonymous(NULL, 0600, &inotify_ops, in, O_RDONLY | (flags & O_NONBLOCK),
		                        "anon_inode:inotify");
	}
	if (!f) {
		kfree(overflow);
		kfree(in);
		return -ENOMEM;
	}
	user->instances++;
	*out = f;
	return 0;
}
