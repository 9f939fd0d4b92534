/* eventfd objects: a 64-bit counter that write adds to and read takes
 * (all of it, or one in EFD_SEMAPHORE mode), blocking at 0 and at the top. */
#include "kernel/fs/eventfd.h"

#include <linux/fcntl.h>
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"

#define EVENTFD_MAX (UINT64_MAX - 1)

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct wait_queue queue;
};

static long eventfd_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct eventfd *e = f->object;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	while (e->count == 0) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&e->queue, 0);
		if (err)
			return err;
	}
	uint64_t value = e->semaphore ? 1 : e->count;
	if (iobuf_put(buf, 0, &value, sizeof value))
		return -EFAULT;
	e->count -= value;
	readiness_notify(&e->queue, EPOLLOUT | EPOLLWRNORM);
	return sizeof value;
}

static long eventfd_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct eventfd *e = f->object;
	uint64_t value;
	if (len < sizeof value)
		return -EINVAL;
	if (iobuf_get(&value, buf, 0, sizeof value))
		return -EFAULT;
	if (value == UINT64_MAX)
		return -EINVAL;
	while (EVENTFD_MAX - e->count < value) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(&e->queue, 0);
		if (err)
			return err;
	}
	e->count += value;
	if (value)
		readiness_notify(&e->queue, EPOLLIN | EPOLLRDNORM);
	return sizeof value;
}

static unsigned eventfd_poll(struct file *f, struct wait_queue **queue)
{
	struct eventfd *e = f->object;
	if (queue)
		*queue = &e->queue;
	unsigned events = 0;
	if (e->count)
		events |= EPOLLIN | EPOLLRDNORM;
	if (e->count < EVENTFD_MAX)
		events |= EPOLLOUT | EPOLLWRNORM;
	return events;
}

static void eventfd_release(struct file *f) { kfree(f->object); }

static const struct file_ops eventfd_ops = {
    .read = eventfd_read, .write = eventfd_write, .release = eventfd_release, .poll = eventfd_poll};

bool file_is_eventfd(const struct file *f) { return f->ops == &eventfd_ops; }

void eventfd_signal(struct file *f, uint64_t n)
{
	struct eventfd *e = f->object;
	if (EVENTFD_MAX - e->count < n)
		n = EVENTFD_MAX - e->count;
	e->count += n;
	if (n)
		readiness_notify(&e->queue, EPOLLIN | EPOLLRDNORM);
}

struct file *eventfd_create(uint64_t initval, unsigned flags)
{
	struct eventfd *e = kzalloc(sizeof *e);
	if (!e)
		return NULL;
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	struct file *f =
	    file_open_anonymous(NULL, 0600, &eventfd_ops, e, O_RDWR | (flags & O_NONBLOCK), "anon_inode:[eventfd]");
	if (!f)
		kfree(e);
	return f;
}
