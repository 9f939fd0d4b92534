/* Pipes: a ring of 64 KiB by default (F_SETPIPE_SZ resizes it),
 * writes of up to PIPE_BUF bytes atomic, EOF once every writer is gone and
 * EPIPE once every reader is. Room is counted in bytes, where Linux counts
 * page-sized slots: small writes fill a pipe alike, odd sizes may not.
 * Packet mode (O_DIRECT on the writing end, from pipe2 or F_SETFL): each
 * write of up to PIPE_BUF bytes is a packet, a longer one is cut into
 * PIPE_BUF-sized ones, a read takes at most one packet and drops what of it
 * does not fit, and packets take a slot each, as on Linux. */
#include "kernel/fs/pipe.h"

#include <asm/ioctls.h>
#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/security/capability.h"
#include "libc-glue/kformat.h"

#define PIPE_DEFAULT_SIZE 65536
#define PIPE_BUF 4096         /* writes up to this size are atomic */
#define PIPE_PAGE PIPE_MIN_SIZE

unsigned long pipe_max_size = 1048576;

/* A packet: where it begins in the stream of bytes written, and its length. */
struct pipe_packet {
	uint64_t start;
	size_t len;
};

struct pipe {
	uint8_t *ring;
	size_t size, start, len; /* data is len bytes from start, wrapping at size */
	uint64_t written, consumed; /* bytes ever put into and dropped from the ring */
	/* The packets in the ring, oldest first: a ring of size / PIPE_PAGE
	 * (its slots), NULL until the first packet. */
	struct pipe_packet *packets;
	size_t packet_head, packet_count;
	int readers, writers;
	struct wait_queue queue;
	/* A named pipe (mkfifo): its inode, and how many times each end was
	 * opened, which an open that waits for the other end watches. */
	struct inode *fifo;
	unsigned reader_opens, writer_opens;
	/* A splice moving data between the pipe and another file holds the
	 * pipe while that file's I/O may block, as Linux holds the pipe's
	 * mutex: everyone else touching the ring waits on unheld meanwhile. */
	bool held;
	struct wait_queue unheld;
};

static bool reads_end(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool writes_end(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }
static size_t room(const struct pipe *p) { return p->size - p->len; }
static size_t packet_slots(const struct pipe *p) { return p->size / PIPE_PAGE; }
/* POLLOUT as Linux sees it: a free slot, so a PIPE_BUF write fits. */
static bool has_write_room(const struct pipe *p) { return room(p) >= PIPE_BUF && p->packet_count < packet_slots(p); }

static struct pipe_packet *packet_at(const struct pipe *p, size_t i)
{
	return &p->packets[(p->packet_head + i) % packet_slots(p)];
}

/* The oldest packet, when the ring's next byte begins it. */
static struct pipe_packet *packet_now(const struct pipe *p)
{
	return p->packet_count && p->packets[p->packet_head].start == p->consumed ? &p->packets[p->packet_head] : NULL;
}

/* How many bytes may be read as a stream: up to the next packet. */
static size_t stream_bytes(const struct pipe *p)
{
	return p->packet_count ? (size_t)(p->packets[p->packet_head].start - p->consumed) : p->len;
}

/* Copies the oldest n bytes of the ring into buf at off, leaving them there. */
static int ring_peek(const struct pipe *p, struct iobuf buf, size_t off, size_t n)
{
	size_t first = p->size - p->start < n ? p->size - p->start : n;
	if (iobuf_put(buf, off, p->ring + p->start, first) || iobuf_put(buf, off + first, p->ring, n - first))
		return -EFAULT;
	return 0;
}

/* Drops the oldest n bytes, and with them the packets they end or cut. */
static void ring_drop(struct pipe *p, size_t n)
{
	p->start = (p->start + n) % p->size;
	p->len -= n;
	if (!p->len)
		p->start = 0;
	p->consumed += n;
	while (p->packet_count) {
		struct pipe_packet *oldest = &p->packets[p->packet_head];
		if (oldest->start + oldest->len <= p->consumed) {
			p->packet_head = (p->packet_head + 1) % packet_slots(p);
			p->packet_count--;
			continue;
		}
		if (oldest->start < p->consumed) { /* a splice took part of it */
			oldest->len -= (size_t)(p->consumed - oldest->start);
			oldest->start = p->consumed;
		}
		break;
	}
}

/* Copies n bytes from buf at off onto the ring's end. */
static int ring_put(struct pipe *p, struct iobuf buf, size_t off, size_t n)
{
	size_t end = (p->start + p->len) % p->size;
	size_t first = p->size - end < n ? p->size - end : n;
	if (iobuf_get(p->ring + end, buf, off, first) || iobuf_get(p->ring, buf, off + first, n - first))
		return -EFAULT;
	p->len += n;
	p->written += n;
	return 0;
}

void pipe_consume(struct pipe *p, size_t n)
{
	bool was_full = !has_write_room(p);
	ring_drop(p, n);
	if (was_full)
		readiness_notify(&p->queue, EPOLLOUT | EPOLLWRNORM);
}

/* Waits while a splice holds p: 0, or -ERESTARTSYS for a signal. */
static long wait_unheld(struct pipe *p)
{
	while (p->held)
		if (wait_on(&p->unheld, 0) == WAKE_SIGNAL)
			return -ERESTARTSYS;
	return 0;
}

static long pipe_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pipe *p = f->object;
	if (len == 0)
		return 0;
	for (;;) {
		long err = wait_unheld(p);
		if (err)
			return err;
		if (p->len)
			break;
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = readiness_wait(&p->queue, 0);
		if (err)
			return err;
	}
	/* The stream up to the next packet, then at most one packet, of which
	 * what does not fit is dropped (Linux's pipe_read). */
	size_t done = 0;
	const struct pipe_packet *packet = packet_now(p);
	if (!packet) {
		size_t n = len < stream_bytes(p) ? len : stream_bytes(p);
		if (ring_peek(p, buf, 0, n))
			return -EFAULT;
		pipe_consume(p, n);
		done = n;
		packet = done < len ? packet_now(p) : NULL;
	}
	if (packet) {
		size_t n = len - done < packet->len ? len - done : packet->len;
		if (ring_peek(p, buf, done, n))
			return done ? (long)done : -EFAULT;
		pipe_consume(p, packet->len);
		done += n;
	}
	return (long)done;
}

/* In packet mode (O_DIRECT) each PIPE_BUF bytes are a packet, in a slot of
 * their own. */
static long pipe_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct pipe *p = f->object;
	bool packets = f->flags & O_DIRECT;
	bool atomic = len <= PIPE_BUF;
	size_t done = 0;
	if (!p->readers)
		return signal_broken_pipe();
	while (done < len) {
		long err = wait_unheld(p);
		if (err)
			return done ? (long)done : err;
		if (!p->readers)
			return done ? (long)done : signal_broken_pipe();
		size_t want = len - done;
		bool full;
		if (packets) {
			want = want < PIPE_BUF ? want : PIPE_BUF;
			full = room(p) < want || p->packet_count >= packet_slots(p);
		} else {
			/* A longer write goes on in pieces, each into a free slot's
			 * worth of room (or its whole rest), as Linux fills page slots. */
			full = atomic || want <= room(p) ? room(p) < want : !has_write_room(p);
		}
		if (full) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			err = readiness_wait(&p->queue, 0);
			if (err)
				return done ? (long)done : err;
			continue;
		}
		if (packets && !p->packets && !(p->packets = kmalloc(packet_slots(p) * sizeof *p->packets)))
			return done ? (long)done : -ENOMEM;
		size_t n = want < room(p) ? want : room(p);
		struct pipe_packet packet = {.start = p->written, .len = n};
		if (ring_put(p, buf, done, n))
			return done ? (long)done : -EFAULT;
		if (packets)
			*packet_at(p, p->packet_count++) = packet;
		done += n;
		/* Every write, as Linux does for epoll: an edge watcher sees each one. */
		readiness_notify(&p->queue, EPOLLIN | EPOLLRDNORM);
	}
	return (long)done;
}

static unsigned pipe_poll(struct file *f, struct wait_queue **queue)
{
	struct pipe *p = f->object;
	unsigned events = 0;
	if (queue)
		*queue = &p->queue;
	if (reads_end(f)) {
		if (p->len)
			events |= EPOLLIN | EPOLLRDNORM;
		if (!p->writers)
			events |= EPOLLHUP;
	}
	if (writes_end(f)) {
		if (has_write_room(p))
			events |= EPOLLOUT | EPOLLWRNORM;
		if (!p->readers)
			events |= EPOLLERR;
	}
	return events;
}

static long pipe_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pipe *p = f->object;
	if (cmd != FIONREAD)
		return -ENOTTY;
	int n = (int)p->len;
	return copy_to_user((void *)arg, &n, sizeof n) ? -EFAULT : 0;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->object;
	if (reads_end(f))
		p->readers--;
	if (writes_end(f))
		p->writers--;
	if (p->readers || p->writers) {
		readiness_notify(&p->queue, ~0u); /* EOF for readers, EPIPE for writers */
		return;
	}
	if (p->fifo)
		p->fifo->fifo = NULL; /* its data goes with the last close, as on Linux */
	kfree(p->ring);
	kfree(p->packets);
	kfree(p);
}

static const struct file_ops pipe_ops = {
    .read = pipe_read, .write = pipe_write, .ioctl = pipe_ioctl, .release = pipe_release, .poll = pipe_poll};

/* Linux's sizes: a power-of-two number of pages, at least one. */
/* The power-of-two size F_SETPIPE_SZ gives for want; 0 above 2 GiB. */
static size_t round_pipe_size(unsigned long want)
{
	if (want > (1ul << 31))
		return 0;
	size_t size = PIPE_PAGE;
	while (size < want)
		size *= 2;
	return size;
}

long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (f->ops != &pipe_ops)
		return -EBADF;
	struct pipe *p = f->object;
	if (cmd == F_GETPIPE_SZ)
		return (long)p->size;
	size_t size = round_pipe_size(arg);
	if (!size)
		return -EINVAL;
	if (size > pipe_max_size && !capable(CAP_SYS_RESOURCE))
		return -EPERM; /* root has CAP_SYS_RESOURCE */
	long err = wait_unheld(p);
	if (err)
		return err;
	if (size < p->len || size / PIPE_PAGE < p->packet_count)
		return -EBUSY;
	uint8_t *ring = kmalloc(size);
	struct pipe_packet *packets = p->packets ? kmalloc(size / PIPE_PAGE * sizeof *packets) : NULL;
	if (!ring || (p->packets && !packets)) {
		kfree(ring);
		kfree(packets);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->packet_count; i++)
		packets[i] = *packet_at(p, i);
	size_t len = p->len;
	ring_peek(p, kernel_buf(ring), 0, len);
	kfree(p->ring);
	kfree(p->packets);
	p->ring = ring;
	p->packets = packets;
	p->packet_head = 0;
	p->size = size;
	p->start = 0;
	p->len = len;
	if (has_write_room(p))
		readiness_notify(&p->queue, EPOLLOUT | EPOLLWRNORM);
	return (long)size;
}

/* A new pipe holds 64 KiB, or pipe-max-size when that is lower and the
 * caller is not root (Linux's alloc_pipe_info). */
static struct pipe *pipe_new(void)
{
	size_t size = PIPE_DEFAULT_SIZE;
	if (size > pipe_max_size && !capable(CAP_SYS_RESOURCE))
		size = pipe_max_size;
	struct pipe *p = kzalloc(sizeof *p);
	if (!p || !(p->ring = kmalloc(size))) {
		kfree(p);
		return NULL;
	}
	p->size = size;
	return p;
}

int pipe_create(unsigned flags, struct file *ends[2])
{
	struct pipe *p = pipe_new();
	if (!p)
		return -ENOMEM;
	struct inode *ino = inode_new(S_IFIFO | 0600);
	if (!ino) {
		kfree(p->ring);
		kfree(p);
		return -ENOMEM;
	}
	ino->nlink = 0;
	char name[32];
	ksnprintf(name, sizeof name, "pipe:[%lu]", (unsigned long)ino->ino);
	unsigned nonblock = flags & O_NONBLOCK;
	ends[0] = file_open_anonymous(ino, 0, &pipe_ops, p, O_RDONLY | nonblock, name);
	ends[1] = file_open_anonymous(ino, 0, &pipe_ops, p, O_WRONLY | nonblock | (flags & O_DIRECT), name);
	inode_put(ino);
	p->readers = ends[0] != NULL;
	p->writers = ends[1] != NULL;
	if (ends[0] && ends[1])
		return 0;
	/* The end that opened frees the pipe when it is put. */
	for (int i = 0; i < 2; i++)
		if (ends[i])
			file_put(ends[i]);
	if (!ends[0] && !ends[1]) {
		kfree(p->ring);
		kfree(p);
	}
	return -ENOMEM;
}

/* A FIFO's open waits for the other end to be opened (since this open
 * began: a count of opens, so an end that opened and closed meanwhile
 * counts, as on Linux). */
static int wait_for_other_end(struct pipe *p, const unsigned *opens, const int *open_now)
{
	unsigned seen = *opens;
	while (!*open_now && *opens == seen) {
		long err = readiness_wait(&p->queue, 0);
		if (err)
			return (int)err;
	}
	return 0;
}

int fifo_open(struct inode *ino, unsigned flags, const char *path, struct file **out)
{
	unsigned mode = flags & O_ACCMODE;
	struct pipe *p = ino->fifo;
	if (mode == O_WRONLY && (flags & O_NONBLOCK) && (!p || !p->readers))
		return -ENXIO; /* no reader to write to */
	if (!p) {
		p = pipe_new();
		if (!p)
			return -ENOMEM;
		p->fifo = ino;
		ino->fifo = p;
	}
	struct file *f = file_open_anonymous(ino, 0, &pipe_ops, p, flags, path);
	if (!f) {
		if (!p->readers && !p->writers) {
			ino->fifo = NULL;
			kfree(p->ring);
			kfree(p);
		}
		return -ENOMEM;
	}
	if (mode != O_WRONLY) {
		p->readers++;
		p->reader_opens++;
	}
	if (mode != O_RDONLY) {
		p->writers++;
		p->writer_opens++;
	}
	readiness_notify(&p->queue, ~0u); /* an open on the other side may be waiting */
	int err = 0;
	if (mode == O_RDONLY && !(flags & O_NONBLOCK))
		err = wait_for_other_end(p, &p->writer_opens, &p->writers);
	else if (mode == O_WRONLY)
		err = wait_for_other_end(p, &p->reader_opens, &p->readers);
	if (err) {
		file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

struct pipe *pipe_of(const struct file *f) { return f->ops == &pipe_ops ? f->object : NULL; }

long pipe_wait(struct pipe *p, enum pipe_need need, bool nonblock)
{
	for (;;) {
		long err = wait_unheld(p);
		if (err)
			return err;
		if (need == PIPE_NEED_ROOM && !p->readers)
			return signal_broken_pipe();
		if (need == PIPE_NEED_DATA ? p->len != 0 : has_write_room(p))
			return 0;
		if (need == PIPE_NEED_DATA && !p->writers)
			return PIPE_EOF;
		if (nonblock)
			return -EAGAIN;
		err = readiness_wait(&p->queue, 0);
		if (err)
			return err;
	}
}

size_t pipe_length(const struct pipe *p) { return p->len; }
size_t pipe_room(const struct pipe *p) { return room(p); }
int pipe_peek(const struct pipe *p, struct iobuf buf, size_t n) { return ring_peek(p, buf, 0, n); }

int pipe_put(struct pipe *p, struct iobuf buf, size_t n)
{
	if (ring_put(p, buf, 0, n))
		return -EFAULT;
	readiness_notify(&p->queue, EPOLLIN | EPOLLRDNORM);
	return 0;
}

void pipe_copy(const struct pipe *from, struct pipe *to, size_t n)
{
	for (size_t done = 0, at = from->start; done < n;) {
		size_t piece = from->size - at < n - done ? from->size - at : n - done;
		ring_put(to, kernel_buf(from->ring + at), 0, piece);
		done += piece;
		at = (at + piece) % from->size;
	}
	readiness_notify(&to->queue, EPOLLIN | EPOLLRDNORM);
}

void pipe_hold(struct pipe *p) { p->held = true; }

void pipe_unhold(struct pipe *p)
{
	p->held = false;
	wait_wake(&p->unheld, INT32_MAX, ~0u);
}
