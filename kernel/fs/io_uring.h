/* io_uring: a ring file's shared rings, its requests and its registered
 * resources. io_uring.c owns the rings (the memory the app maps, posting
 * completions, waiting for them, the file's poll and close);
 * io_uring_register.c keeps the fixed files, fixed buffers and eventfd.
 * The requests themselves run in the syscall layer (syscalls/io_uring_ops.c,
 * with the helpers read, sendmsg and the rest share), which the ring
 * reaches through struct io_ring_requests. */
#ifndef SOLE_IO_URING_H
#define SOLE_IO_URING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <linux/io_uring.h>

#include "kernel/fs/file.h"
#include "kernel/sched/wait.h"

#define IO_URING_MAX_ENTRIES 32768 /* Linux's IORING_MAX_ENTRIES */
#define IO_URING_MAX_CQ_ENTRIES (2 * IO_URING_MAX_ENTRIES)

/* Where the app finds things in the rings' memory (one mapping: the SQ and
 * CQ rings share it, IORING_FEAT_SINGLE_MMAP). The SQEs are a second
 * region, after the rings in the ring file's pages. */
struct io_rings_header {
	uint32_t sq_head, sq_tail, cq_head, cq_tail;
	uint32_t sq_ring_mask, cq_ring_mask, sq_ring_entries, cq_ring_entries;
	uint32_t sq_dropped, sq_flags, cq_flags, cq_overflow;
};
#define IO_RINGS_CQES_AT 64 /* the CQE array, after the header */

struct io_req;
struct io_ring;

/* A completion that found the CQ ring full (IORING_FEAT_NODROP): kept in
 * order until the app makes room and enters the ring again. */
struct io_overflow {
	uint64_t user_data;
	int32_t res;
	struct io_overflow *next;
};

/* What the ring file asks of the requests' side: to go on with the
 * pending requests of the calling process that may (from its poll,
 * io_uring_enter's wait and the way back to user space), whether any
 * request may go on, and to drop them all (its last close). */
struct io_ring_requests {
	void (*run_pending)(struct io_ring *r);
	bool (*any_ready)(const struct io_ring *r);
	void (*cancel_all)(struct io_ring *r);
};

struct io_ring {
	const struct io_ring_requests *requests;
	struct file *file; /* the ring file, which owns the ring */
	struct inode *mem; /* the pages the app maps: rings, then SQEs */
	unsigned flags;    /* IORING_SETUP_* */
	unsigned sq_entries, cq_entries;
	size_t rings_len, sqes_len;            /* bytes, whole pages */
	size_t sq_array_at;                    /* the SQ index array, after the CQEs */
	unsigned sq_head, cq_tail;             /* the kernel's own copies */
	uint64_t completions;                  /* CQEs posted so far: TIMEOUT's count */
	struct wait_queue queue;               /* io_uring_enter waiters, poll and epoll on the ring */
	struct io_req *pending;                /* requests waiting for readiness or time */
	struct io_req *drained, *drained_tail; /* IOSQE_IO_DRAIN: chains waiting their turn */
	bool running_pending;                  /* against re-entry from the ring's own poll */
	bool posted_unflushed;                 /* CQEs posted since the eventfd was last told */
	struct io_overflow *overflow, **overflow_tail;
	/* On the list of rings with requests that may go on, which each
	 * return to user space looks at; keep_next: its own list of those
	 * that still have some after that. */
	bool on_ready_list;
	struct io_ring *ready_next, *keep_next;
	/* io_uring_register's: held files (NULL for a hole), the app's buffers
	 * (addresses in the registering address space) and the eventfd. */
	struct file **files;
	unsigned nr_files;
	struct iovec *buffers;
	unsigned nr_buffers;
	struct file *eventfd;
};

/* io_uring.c */

/* A ring file for sq_entries submissions and cq_entries completions
 * (powers of two, checked): the file or NULL when out of memory. */
struct file *io_ring_create(unsigned sq_entries, unsigned cq_entries, unsigned flags,
                            const struct io_ring_requests *requests);
/* The ring behind f, or NULL when f is not an io_uring file. */
struct io_ring *io_ring_of(struct file *f);
/* The params' offsets of the fields in the rings, as io_uring_setup
 * reports them. */
void io_ring_offsets(const struct io_ring *r, struct io_sqring_offsets *sq, struct io_cqring_offsets *cq);
/* Memory in the rings (off within rings_len + sqes_len, never across a
 * page for the aligned fields and entries it is used for). */
void *io_ring_at(const struct io_ring *r, size_t off);
static inline struct io_rings_header *io_ring_header(const struct io_ring *r) { return io_ring_at(r, 0); }
/* Posts a completion and wakes the waiters. One that finds the CQ ring full
 * waits in the overflow list with IORING_SQ_CQ_OVERFLOW set (dropped and
 * counted in cq_overflow only when memory runs out); io_ring_flush, at the
 * end of each batch, moves what fits into the ring and signals the eventfd
 * once for all that was posted, as Linux does. */
void io_ring_post(struct io_ring *r, uint64_t user_data, int32_t res);
void io_ring_flush(struct io_ring *r);
/* CQEs the app has not consumed yet. */
unsigned io_ring_cq_ready(const struct io_ring *r);
/* Wakes io_uring_enter's waiters and the ring's pollers: a completion was
 * posted. Safe from interrupts. */
void io_ring_kick(struct io_ring *r);
/* A pending request may go on now (readiness came, a timer fired): the
 * submitter's next return to user space runs it, as Linux's task work;
 * wakes the ring's waiters too, and with IORING_SETUP_TASKRUN_FLAG tells
 * the app through IORING_SQ_TASKRUN. Safe from interrupts. */
void io_ring_work_ready(struct io_ring *r);
/* io_uring_enter's wait: runs pending requests until min_complete CQEs
 * are ready. 0, -ETIME at deadline (monotonic ns, 0 for none), -EINTR. */
long io_ring_wait(struct io_ring *r, unsigned min_complete, uint64_t deadline);

/* io_uring_register.c */

/* The REGISTER and UNREGISTER opcodes for buffers, files and the eventfd;
 * -EINVAL for others. */
long io_ring_register(struct io_ring *r, unsigned opcode, void *arg, unsigned nr_args);
/* The registered resources go (the ring's last close). */
void io_ring_unregister_all(struct io_ring *r);
/* A fixed file (held by the table: the caller gets no reference), or NULL. */
struct file *io_ring_fixed_file(const struct io_ring *r, int index);

#endif
