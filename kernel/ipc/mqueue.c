/* POSIX message queues (see mqueue.h). A queue keeps its messages in a
 * heap ordered by priority, then arrival. As on Linux, a sender that finds
 * a receiver waiting hands it the message directly, and a receiver that
 * makes room moves the first waiting sender's message into the queue, so
 * waiters are served first come, first served and never lose a race to a
 * newcomer. The kernel is not preempted, so nothing here needs a lock. */
#include "kernel/ipc/mqueue.h"

#include <linux/fcntl.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/strbuf.h"
#include "libc-glue/kformat.h"

#define NAME_MAX_LEN 255
#define NAME_BUCKETS 64 /* queues_max is 256 unless root raises it */
/* Linux's i_size for a queue, and what it charges against
 * RLIMIT_MSGQUEUE per message slot and per priority level (the sizes of
 * its struct msg_msg and struct posix_msg_tree_node). */
#define QUEUE_FILE_SIZE 80
#define SLOT_COST 48
#define LEVEL_COST 48

unsigned long mq_queues_max = 256, mq_msg_max = 10, mq_msgsize_max = 8192, mq_msg_default = 10,
              mq_msgsize_default = 8192;

/* A thread blocked in mq_timedsend (msg is its message) or
 * mq_timedreceive (msg is what it was handed). */
struct mq_waiter {
	struct mq_waiter *next;
	struct wait_queue wake;
	struct mq_message *msg;
	bool done; /* the other side completed the operation for it */
};

struct mqueue {
	char *name; /* NULL once unlinked */
	struct mqueue *name_next;
	struct inode *inode; /* owner, group, permission bits and times */
	int refs;            /* the name's, and one per open file */
	long maxmsg, msgsize;
	struct mq_message **heap;
	long count, room; /* messages in the heap, and its slots */
	uint64_t next_seq;
	unsigned long bytes;                   /* the messages' sizes, as QSIZE */
	struct mq_waiter *senders, *receivers; /* oldest first */
	struct wait_queue poll;                /* poll, select and epoll */
	int notify_pid;                        /* the registered process, 0 for none */
	struct mq_notification notification;
	struct mq_user *user; /* whose RLIMIT_MSGQUEUE it counts against */
	unsigned long cost;
};

/* RLIMIT_MSGQUEUE is per real user: a handful of them at most. */
struct mq_user {
	uint32_t uid;
	unsigned long bytes;
	struct mq_user *next;
};

static struct mqueue *by_name[NAME_BUCKETS];
static struct mq_user *users;
static unsigned long queue_count; /* open or named queues, against queues_max */

static struct mqueue **bucket_of(const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return &by_name[h % NAME_BUCKETS];
}

static struct mqueue *find(const char *name)
{
	struct mqueue *q = *bucket_of(name);
	while (q && strcmp(q->name, name))
		q = q->name_next;
	return q;
}

/* What Linux's lookup of one name in the mqueue folder refuses. */
static int check_name(const char *name)
{
	size_t len = strlen(name);
	if (!len || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EACCES;
	return len > NAME_MAX_LEN ? -ENAMETOOLONG : 0;
}

static struct mq_user *user_of(uint32_t uid)
{
	for (struct mq_user *u = users; u; u = u->next)
		if (u->uid == uid)
			return u;
	struct mq_user *u = kzalloc(sizeof *u);
	if (u) {
		u->uid = uid;
		u->next = users;
		users = u;
	}
	return u;
}

struct mq_message *mq_message_alloc(size_t size)
{
	struct mq_message *m = kmalloc(sizeof *m + size);
	if (m)
		m->size = size;
	return m;
}

void mq_message_free(struct mq_message *m) { kfree(m); }

static void put(struct mqueue *q)
{
	if (--q->refs > 0)
		return;
	for (long i = 0; i < q->count; i++)
		mq_message_free(q->heap[i]);
	kfree(q->heap);
	q->user->bytes -= q->cost;
	queue_count--;
	q->inode->file.generate = NULL; /* a /dev/mqueue entry not yet refreshed away must not read q */
	q->inode->file.proc_data = NULL;
	inode_put(q->inode);
	kfree(q);
}

/* The heap: the first message is the one to receive next. */
static bool before(const struct mq_message *a, const struct mq_message *b)
{
	return a->prio != b->prio ? a->prio > b->prio : a->seq < b->seq;
}

static void swap(struct mq_message **heap, long i, long j)
{
	struct mq_message *t = heap[i];
	heap[i] = heap[j];
	heap[j] = t;
}

/* Room for one more message; the heap grows with use up to maxmsg. */
static int reserve(struct mqueue *q)
{
	if (q->count < q->room)
		return 0;
	long room = q->room ? q->room * 2 : 8;
	if (room > q->maxmsg)
		room = q->maxmsg;
	struct mq_message **heap = kmalloc((size_t)room * sizeof *heap);
	if (!heap)
		return -ENOMEM;
	if (q->count)
		memcpy(heap, q->heap, (size_t)q->count * sizeof *heap);
	kfree(q->heap);
	q->heap = heap;
	q->room = room;
	return 0;
}

/* Adds m; reserve() has made room. */
static void push(struct mqueue *q, struct mq_message *m)
{
	m->seq = q->next_seq++;
	long i = q->count++;
	q->heap[i] = m;
	for (; i > 0 && before(q->heap[i], q->heap[(i - 1) / 2]); i = (i - 1) / 2)
		swap(q->heap, i, (i - 1) / 2);
	q->bytes += m->size;
}

static struct mq_message *pop(struct mqueue *q)
{
	struct mq_message *m = q->heap[0];
	q->heap[0] = q->heap[--q->count];
	for (long i = 0;;) {
		long best = i, l = 2 * i + 1, r = l + 1;
		if (l < q->count && before(q->heap[l], q->heap[best]))
			best = l;
		if (r < q->count && before(q->heap[r], q->heap[best]))
			best = r;
		if (best == i)
			break;
		swap(q->heap, i, best);
		i = best;
	}
	q->bytes -= m->size;
	return m;
}

static struct mq_waiter *take_first(struct mq_waiter **list)
{
	struct mq_waiter *w = *list;
	if (w)
		*list = w->next;
	return w;
}

static void complete(struct mq_waiter *w)
{
	w->done = true;
	wait_wake(&w->wake, 1, ~0u);
}

/* Waits at the end of list until the other side completes the operation,
 * the deadline passes or a signal comes. Either way w is off the list. */
static int sleep_in(struct mq_waiter **list, struct mq_waiter *w, uint64_t deadline)
{
	struct mq_waiter **end = list;
	while (*end)
		end = &(*end)->next;
	*end = w;
	for (;;) {
		enum wake_reason why = wait_on(&w->wake, deadline);
		if (w->done)
			return 0;
		if (why != WAKE_SIGNAL && why != WAKE_TIMEOUT)
			continue;
		for (struct mq_waiter **at = list; *at; at = &(*at)->next)
			if (*at == w) {
				*at = w->next;
				break;
			}
		/* Restarted by SA_RESTART, with the same absolute timeout. */
		return why == WAKE_SIGNAL ? -ERESTARTSYS : -ETIMEDOUT;
	}
}

/* A message went into an empty queue that no receiver waits on: the
 * registered process hears of it once, and its registration goes. */
static void notify_arrival(struct mqueue *q)
{
	if (q->notify_pid && q->count == 1) {
		struct process *p = process_by_pid(q->notify_pid);
		if (q->notification.notify == SIGEV_SIGNAL && q->notification.signo && p && p->state == PROCESS_ALIVE) {
			const struct process *sender = current_process();
			struct signal_info info = {.signo = q->notification.signo, .code = SI_MESGQ};
			info.sender.pid = sender->pid;
			info.sender.uid = sender->cred.ruid;
			info.sender.value = q->notification.value;
			signal_send_process(p, &info);
		}
		q->notify_pid = 0;
	}
	readiness_notify(&q->poll, EPOLLIN | EPOLLRDNORM);
}

int mq_send(struct file *f, struct mq_message *m, uint64_t deadline)
{
	struct mqueue *q = f->object;
	if (q->count == q->maxmsg) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		struct mq_waiter w = {.msg = m};
		return sleep_in(&q->senders, &w, deadline); /* a receiver queued m */
	}
	struct mq_waiter *receiver = take_first(&q->receivers);
	if (receiver) {
		receiver->msg = m;
		complete(receiver);
	} else {
		int err = reserve(q);
		if (err)
			return err;
		push(q, m);
		notify_arrival(q);
	}
	inode_touch(q->inode, true);
	return 0;
}

struct mq_message *mq_receive(struct file *f, uint64_t deadline, int *err)
{
	struct mqueue *q = f->object;
	*err = 0;
	if (q->count == 0) {
		if (f->flags & O_NONBLOCK) {
			*err = -EAGAIN;
			return NULL;
		}
		struct mq_waiter w = {0};
		*err = sleep_in(&q->receivers, &w, deadline);
		return *err ? NULL : w.msg;
	}
	struct mq_message *m = pop(q);
	struct mq_waiter *sender = take_first(&q->senders);
	if (sender) {
		push(q, sender->msg); /* into the slot just freed */
		complete(sender);
	} else {
		readiness_notify(&q->poll, EPOLLOUT | EPOLLWRNORM);
	}
	inode_touch(q->inode, true);
	return m;
}

int mq_notify(struct file *f, const struct mq_notification *n)
{
	struct mqueue *q = f->object;
	int pid = current_process()->pid;
	if (!n) {
		if (q->notify_pid == pid)
			q->notify_pid = 0;
		return 0;
	}
	if (q->notify_pid)
		return -EBUSY;
	q->notification = *n;
	q->notify_pid = pid;
	return 0;
}

struct mq_attr mq_attr_of(const struct file *f)
{
	const struct mqueue *q = f->object;
	return (struct mq_attr){.mq_flags = f->flags & O_NONBLOCK,
	                        .mq_maxmsg = q->maxmsg,
	                        .mq_msgsize = q->msgsize,
	                        .mq_curmsgs = q->count};
}

/* Linux's open modes: O_RDONLY may receive, O_WRONLY send, O_RDWR both,
 * and the fourth mode (3) neither. */
static bool may_receive(const struct file *f)
{
	unsigned mode = f->flags & O_ACCMODE;
	return mode == O_RDONLY || mode == O_RDWR;
}
static bool may_send(const struct file *f)
{
	unsigned mode = f->flags & O_ACCMODE;
	return mode == O_WRONLY || mode == O_RDWR;
}

int mq_check(const struct file *f, bool send, size_t len)
{
	const struct mqueue *q = f->object;
	if (!(send ? may_send(f) : may_receive(f)))
		return -EBADF;
	if (send ? len > (size_t)q->msgsize : len < (size_t)q->msgsize)
		return -EMSGSIZE;
	return 0;
}

/* The one line Linux's mqueue file system gives about a queue. */
static int status_line(const struct mqueue *q, char line[QUEUE_FILE_SIZE])
{
	bool signal = q->notify_pid && q->notification.notify == SIGEV_SIGNAL;
	return ksnprintf(line, QUEUE_FILE_SIZE, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", q->bytes,
	                 q->notify_pid ? q->notification.notify : 0, signal ? q->notification.signo : 0, q->notify_pid);
}

/* /dev/mqueue/NAME's content, made when it is opened. */
static void generate_status(const struct inode *ino, struct strbuf *out)
{
	char line[QUEUE_FILE_SIZE];
	int n = status_line(ino->file.proc_data, line);
	strbuf_append(out, line, n < QUEUE_FILE_SIZE ? (size_t)n : QUEUE_FILE_SIZE - 1);
}

void mq_for_each_named(void (*fn)(void *arg, const char *name, struct inode *queue), void *arg)
{
	for (size_t i = 0; i < NAME_BUCKETS; i++)
		for (struct mqueue *q = by_name[i]; q; q = q->name_next)
			fn(arg, q->name, q->inode);
}

/* read: one line about the queue, as Linux's mqueue file system gives it. */
static long queue_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	const struct mqueue *q = f->object;
	char line[QUEUE_FILE_SIZE];
	int n = status_line(q, line);
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	if (*pos >= (uint64_t)n)
		return 0;
	size_t count = (size_t)n - *pos < len ? (size_t)n - *pos : len;
	if (iobuf_put(buf, 0, line + *pos, count))
		return -EFAULT;
	*pos += count;
	return (long)count;
}

static unsigned queue_poll(struct file *f, struct wait_queue **queue)
{
	struct mqueue *q = f->object;
	if (queue)
		*queue = &q->poll;
	unsigned events = 0;
	if (q->count)
		events |= EPOLLIN | EPOLLRDNORM;
	if (q->count < q->maxmsg)
		events |= EPOLLOUT | EPOLLWRNORM;
	return events;
}

/* A registration goes when its process closes any descriptor of the queue
 * (and so at exec and exit). */
static void queue_flush(struct file *f)
{
	struct mqueue *q = f->object;
	if (q->notify_pid == current_process()->pid)
		q->notify_pid = 0;
}

static void queue_release(struct file *f) { put(f->object); }

static const struct file_ops queue_ops = {
    .read = queue_read, .release = queue_release, .flush = queue_flush, .poll = queue_poll, .seekable = true};

bool mq_file(const struct file *f) { return f->ops == &queue_ops; }

/* The permission an open mode asks for (O_ACCMODE itself is refused
 * before this). */
static int open_permission(const struct inode *ino, int oflag)
{
	static const int wanted[] = {[O_RDONLY] = MAY_READ, [O_WRONLY] = MAY_WRITE, [O_RDWR] = MAY_READ | MAY_WRITE};
	return inode_permission(&current_process()->cred, ino, wanted[oflag & O_ACCMODE]);
}

/* The queue's size and what it costs its user, checked against the limits
 * as Linux checks them. */
static int sizes_of(const struct mq_attr *attr, long *maxmsg, long *msgsize, unsigned long *cost)
{
	bool root = capable(CAP_SYS_RESOURCE);
	*maxmsg = (long)(mq_msg_max < mq_msg_default ? mq_msg_max : mq_msg_default);
	*msgsize = (long)(mq_msgsize_max < mq_msgsize_default ? mq_msgsize_max : mq_msgsize_default);
	if (attr) {
		*maxmsg = attr->mq_maxmsg;
		*msgsize = attr->mq_msgsize;
	}
	if (*maxmsg <= 0 || *msgsize <= 0)
		return -EINVAL;
	if (*maxmsg > (long)(root ? MQ_HARD_MSG_MAX : mq_msg_max) ||
	    *msgsize > (long)(root ? MQ_HARD_MSGSIZE_MAX : mq_msgsize_max))
		return -EINVAL;
	long levels = *maxmsg < MQ_PRIO_MAX ? *maxmsg : MQ_PRIO_MAX;
	*cost = (unsigned long)(*maxmsg * SLOT_COST + levels * LEVEL_COST + *maxmsg * *msgsize);
	return 0;
}

/* A file of q for an open with flags (those that only concern the open
 * dropped), named path; NULL when out of memory. */
static struct file *queue_file(struct mqueue *q, unsigned flags, const char *path)
{
	unsigned kept = flags & ~(unsigned)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	struct file *f = file_open_anonymous(q->inode, 0, &queue_ops, q, kept, path);
	if (f)
		q->refs++; /* the file's, let go by queue_release */
	return f;
}

/* open() of the queue's /dev/mqueue entry: a file of the queue, as
 * mq_open's (the entry's permission was checked on the way). */
static struct file *open_entry(struct inode *ino, unsigned flags, const char *path)
{
	struct mqueue *q = (struct mqueue *)ino->file.proc_data;
	return q ? queue_file(q, flags, path) : NULL;
}

static struct mqueue *create(const char *name, uint32_t mode, const struct mq_attr *attr, int *err)
{
	const struct process *p = current_process();
	if (queue_count >= mq_queues_max && !capable(CAP_SYS_RESOURCE)) {
		*err = -ENOSPC;
		return NULL;
	}
	long maxmsg, msgsize;
	unsigned long cost;
	*err = sizes_of(attr, &maxmsg, &msgsize, &cost);
	if (*err)
		return NULL;
	struct mq_user *user = user_of(p->cred.ruid);
	*err = -ENOMEM;
	if (!user)
		return NULL;
	if (user->bytes + cost > p->rlimits[RLIMIT_MSGQUEUE].rlim_cur) {
		*err = -EMFILE;
		return NULL;
	}
	struct mqueue *q = kzalloc(sizeof *q);
	if (!q)
		return NULL;
	q->name = kstrdup(name);
	q->inode = inode_new(S_IFREG | (mode & 07777 & ~p->fs->umask));
	if (!q->name || !q->inode) {
		kfree(q->name);
		if (q->inode)
			inode_put(q->inode);
		kfree(q);
		return NULL;
	}
	q->inode->uid = p->cred.fsuid;
	q->inode->gid = p->cred.fsgid;
	q->inode->nlink = 1;
	q->inode->size = QUEUE_FILE_SIZE;
	/* listed in /dev/mqueue only while named, and read there at open */
	q->inode->file.generate = generate_status;
	q->inode->file.open = open_entry;
	q->inode->file.proc_data = q;
	q->refs = 1;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->user = user;
	q->cost = cost;
	user->bytes += cost;
	queue_count++;
	q->name_next = *bucket_of(name);
	*bucket_of(name) = q;
	*err = 0;
	return q;
}

/* Takes the name away; the queue lives on in its open files. */
static void unlink_queue(struct mqueue *q)
{
	for (struct mqueue **at = bucket_of(q->name); *at; at = &(*at)->name_next)
		if (*at == q) {
			*at = q->name_next;
			break;
		}
	kfree(q->name);
	q->name = NULL;
	q->inode->nlink = 0;
	inode_touch(q->inode, false);
	put(q);
}

int mq_open(const char *name, int oflag, uint32_t mode, const struct mq_attr *attr)
{
	int err = check_name(name);
	if (err)
		return err;
	struct mqueue *q = find(name);
	bool created = !q;
	if (created) {
		if (!(oflag & O_CREAT))
			return -ENOENT;
		q = create(name, mode, attr, &err);
	} else if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		err = -EEXIST;
	} else if ((oflag & O_ACCMODE) == O_ACCMODE) {
		err = -EINVAL;
	} else {
		err = open_permission(q->inode, oflag);
	}
	if (err)
		return err;
	char path[NAME_MAX_LEN + 2];
	ksnprintf(path, sizeof path, "/%s", name);
	struct file *f = queue_file(q, (unsigned)oflag, path);
	int fd = fd_install_new(current_process()->files, f, true);
	if (fd < 0 && created)
		unlink_queue(q); /* as if the open had failed before making it */
	return fd;
}

int mq_create(const char *name, uint32_t mode)
{
	int err = check_name(name);
	if (!err && find(name))
		err = -EEXIST;
	if (!err)
		create(name, mode, NULL, &err);
	return err;
}

int mq_unlink(const char *name)
{
	int err = check_name(name);
	if (err)
		return err;
	struct mqueue *q = find(name);
	if (!q)
		return -ENOENT;
	/* The folder is root's and sticky (1777): only the queue's owner or
	 * root may take the name away. */
	if (!cred_owns(&current_process()->cred, q->inode))
		return -EPERM;
	unlink_queue(q);
	return 0;
}
