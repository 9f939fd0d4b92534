/* io_uring's rings (see io_uring.h): the ring file and the memory the app
 * maps from it, completions posted into the CQ ring, io_uring_enter's wait
 * for them, and poll and close on the ring file.
 *
 * The rings live in the pages of an unnamed regular file, as shared
 * anonymous memory does: mmap of the ring file at IORING_OFF_SQ_RING,
 * IORING_OFF_CQ_RING or IORING_OFF_SQES maps those pages shared, so a
 * fork's child sees the same rings, and the kernel reads and writes them
 * through its own view of the pages. The pages outlive the ring file while
 * a mapping holds them, as on Linux.
 *
 * Requests that may go on are run by their submitter: when it waits in or
 * polls the ring, and on each of its returns to user space while its ring
 * is on the ready list (RETURN_TO_USER_HOOK), where Linux runs io_uring's
 * task work. */
#include "kernel/fs/io_uring.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/eventfd.h"
#include "kernel/fs/readiness.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/hooks.h"

static const struct file_ops io_ring_ops;

/* Rings with requests that may go on (on_ready_list). */
static struct io_ring *ready_rings;

static void ready_list_add(struct io_ring *r)
{
	if (!r->on_ready_list) {
		r->on_ready_list = true;
		r->ready_next = ready_rings;
		ready_rings = r;
	}
	return_to_user_work = true;
}

static void ready_list_remove(struct io_ring *r)
{
	for (struct io_ring **link = &ready_rings; *link; link = &(*link)->ready_next)
		if (*link == r) {
			*link = r->ready_next;
			break;
		}
	r->on_ready_list = false;
}

/* The way back to user space: every ready ring runs the returning
 * process's requests; those with requests of others left stay on the
 * list. Each ring's file is held meanwhile: a request may hold the last
 * reference to another ring's file. */
static void rings_run_ready(void)
{
	struct io_ring *keep = NULL;
	while (ready_rings) {
		struct io_ring *r = ready_rings;
		ready_list_remove(r);
		file_get(r->file);
		r->requests->run_pending(r);
		if (r->requests->any_ready(r) && !r->on_ready_list) {
			r->keep_next = keep;
			keep = r;
		} else {
			file_put(r->file);
		}
	}
	while (keep) {
		struct io_ring *r = keep;
		keep = r->keep_next;
		ready_list_add(r);
		file_put(r->file);
	}
}
RETURN_TO_USER_HOOK(rings_run_ready);

void *io_ring_at(const struct io_ring *r, size_t off) { return r->mem->file.pages[off / PAGE_SIZE] + off % PAGE_SIZE; }

unsigned io_ring_cq_ready(const struct io_ring *r)
{
	return r->cq_tail - __atomic_load_n(&io_ring_header(r)->cq_head, __ATOMIC_ACQUIRE);
}

void io_ring_kick(struct io_ring *r) { readiness_notify(&r->queue, EPOLLIN | EPOLLRDNORM); }

void io_ring_work_ready(struct io_ring *r)
{
	ready_list_add(r);
	if (r->flags & IORING_SETUP_TASKRUN_FLAG)
		__atomic_or_fetch(&io_ring_header(r)->sq_flags, IORING_SQ_TASKRUN, __ATOMIC_RELEASE);
	io_ring_kick(r);
}

static void cqe_write(struct io_ring *r, uint64_t user_data, int32_t res)
{
	struct io_uring_cqe *cqe =
	    io_ring_at(r, IO_RINGS_CQES_AT + (r->cq_tail & (r->cq_entries - 1)) * sizeof(struct io_uring_cqe));
	*cqe = (struct io_uring_cqe){.user_data = user_data, .res = res};
	__atomic_store_n(&io_ring_header(r)->cq_tail, ++r->cq_tail, __ATOMIC_RELEASE);
	r->posted_unflushed = true;
	io_ring_kick(r);
}

void io_ring_post(struct io_ring *r, uint64_t user_data, int32_t res)
{
	struct io_rings_header *h = io_ring_header(r);
	r->completions++;
	if (!r->overflow && io_ring_cq_ready(r) < r->cq_entries) {
		cqe_write(r, user_data, res);
		return;
	}
	struct io_overflow *o = kmalloc(sizeof *o);
	if (!o) {
		h->cq_overflow++;
		return;
	}
	*o = (struct io_overflow){.user_data = user_data, .res = res};
	if (!r->overflow)
		r->overflow_tail = &r->overflow;
	*r->overflow_tail = o;
	r->overflow_tail = &o->next;
	__atomic_or_fetch(&h->sq_flags, IORING_SQ_CQ_OVERFLOW, __ATOMIC_RELEASE);
}

void io_ring_flush(struct io_ring *r)
{
	while (r->overflow && io_ring_cq_ready(r) < r->cq_entries) {
		struct io_overflow *o = r->overflow;
		r->overflow = o->next;
		cqe_write(r, o->user_data, o->res);
		kfree(o);
	}
	if (!r->overflow)
		__atomic_and_fetch(&io_ring_header(r)->sq_flags, ~IORING_SQ_CQ_OVERFLOW, __ATOMIC_RELEASE);
	if (!r->posted_unflushed)
		return;
	r->posted_unflushed = false;
	if (r->eventfd && !(io_ring_header(r)->cq_flags & IORING_CQ_EVENTFD_DISABLED))
		eventfd_signal(r->eventfd, 1);
}

void io_ring_offsets(const struct io_ring *r, struct io_sqring_offsets *sq, struct io_cqring_offsets *cq)
{
	*sq = (struct io_sqring_offsets){
	    .head = offsetof(struct io_rings_header, sq_head),
	    .tail = offsetof(struct io_rings_header, sq_tail),
	    .ring_mask = offsetof(struct io_rings_header, sq_ring_mask),
	    .ring_entries = offsetof(struct io_rings_header, sq_ring_entries),
	    .flags = offsetof(struct io_rings_header, sq_flags),
	    .dropped = offsetof(struct io_rings_header, sq_dropped),
	    .array = (uint32_t)r->sq_array_at,
	};
	*cq = (struct io_cqring_offsets){
	    .head = offsetof(struct io_rings_header, cq_head),
	    .tail = offsetof(struct io_rings_header, cq_tail),
	    .ring_mask = offsetof(struct io_rings_header, cq_ring_mask),
	    .ring_entries = offsetof(struct io_rings_header, cq_ring_entries),
	    .overflow = offsetof(struct io_rings_header, cq_overflow),
	    .cqes = IO_RINGS_CQES_AT,
	    .flags = offsetof(struct io_rings_header, cq_flags),
	};
}

/* The memory: the rings, then the SQEs, each from a page boundary. */
static int ring_memory(struct io_ring *r)
{
	r->sq_array_at = IO_RINGS_CQES_AT + (size_t)r->cq_entries * sizeof(struct io_uring_cqe);
	r->rings_len = PAGE_ALIGN_UP(r->sq_array_at + (size_t)r->sq_entries * sizeof(uint32_t));
	r->sqes_len = PAGE_ALIGN_UP((size_t)r->sq_entries * sizeof(struct io_uring_sqe));
	if (!(r->mem = inode_new(S_IFREG | 0600)))
		return -ENOMEM;
	r->mem->nlink = 0;
	r->mem->size = r->rings_len + r->sqes_len;
	for (size_t off = 0; off < r->mem->size; off += PAGE_SIZE)
		if (!inode_page_for_mapping(r->mem, off))
			return -ENOMEM;
	struct io_rings_header *h = io_ring_header(r);
	h->sq_ring_mask = r->sq_entries - 1;
	h->cq_ring_mask = r->cq_entries - 1;
	h->sq_ring_entries = r->sq_entries;
	h->cq_ring_entries = r->cq_entries;
	return 0;
}

static void ring_free(struct io_ring *r)
{
	while (r->overflow) {
		struct io_overflow *o = r->overflow;
		r->overflow = o->next;
		kfree(o);
	}
	if (r->mem)
		inode_put(r->mem);
	kfree(r);
}

struct file *io_ring_create(unsigned sq_entries, unsigned cq_entries, unsigned flags,
                            const struct io_ring_requests *requests)
{
	struct io_ring *r = kzalloc(sizeof *r);
	if (!r)
		return NULL;
	*r = (struct io_ring){.requests = requests, .flags = flags, .sq_entries = sq_entries, .cq_entries = cq_entries};
	if (ring_memory(r) ||
	    !(r->file = file_open_anonymous(NULL, 0600, &io_ring_ops, r, O_RDWR, "anon_inode:[io_uring]"))) {
		ring_free(r);
		return NULL;
	}
	return r->file;
}

struct io_ring *io_ring_of(struct file *f) { return f->ops == &io_ring_ops ? f->object : NULL; }

long io_ring_wait(struct io_ring *r, unsigned min_complete, uint64_t deadline)
{
	for (;;) {
		r->requests->run_pending(r);
		if (io_ring_cq_ready(r) >= min_complete)
			return 0;
		switch (wait_on(&r->queue, deadline)) {
		case WAKE_TIMEOUT:
			return io_ring_cq_ready(r) >= min_complete ? 0 : -ETIME;
		case WAKE_SIGNAL:
			return -EINTR;
		default:
			break;
		}
	}
}

/* Maps the offsets of io_uring(7) to the memory: the SQ and CQ rings are
 * one region (either offset maps it), the SQEs the other. */
static int ring_mmap_target(struct file *f, uint64_t *offset, size_t len, struct inode **target)
{
	struct io_ring *r = f->object;
	size_t at, room;
	switch (*offset) {
	case IORING_OFF_SQ_RING:
	case IORING_OFF_CQ_RING:
		at = 0, room = r->rings_len;
		break;
	case IORING_OFF_SQES:
		at = r->rings_len, room = r->sqes_len;
		break;
	default:
		return -EINVAL;
	}
	if (len > room)
		return -EINVAL;
	*offset = at;
	*target = r->mem;
	return 0;
}

/* Readable while completions wait; the app's poll or epoll_wait is also
 * where pending requests of its own go on. */
static unsigned ring_poll(struct file *f, struct wait_queue **queue)
{
	struct io_ring *r = f->object;
	if (queue)
		*queue = &r->queue;
	r->requests->run_pending(r);
	return (io_ring_cq_ready(r) ? EPOLLIN | EPOLLRDNORM : 0) | EPOLLOUT | EPOLLWRNORM;
}

static void ring_release(struct file *f)
{
	struct io_ring *r = f->object;
	r->requests->cancel_all(r);
	ready_list_remove(r);
	io_ring_unregister_all(r);
	wait_wake(&r->queue, INT32_MAX, ~0u);
	ring_free(r);
}

static const struct file_ops io_ring_ops = {
    .release = ring_release,
    .poll = ring_poll,
    .mmap_target = ring_mmap_target,
};
