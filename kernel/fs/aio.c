/* Linux native AIO contexts (see aio.h): the ring in the app's memory, the
 * count of places it has left, and the POLL requests still waiting.
 *
 * The ring is the only copy of the events: the kernel writes events and
 * tail, the app (libaio) or io_getevents moves head, as on Linux. Each
 * context holds a reference to its address space, so that the process
 * hooks find contexts whose address space no program uses any more (exit,
 * exec) and drop them; fork's child has none, as its address space is new. */
#include "kernel/fs/aio.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/fs/eventfd.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/process.h"

#define AIO_RING_MAGIC 0xa10a10a1
#define AIO_RING_INCOMPAT_FEATURES 0
#define AIO_EVENTS_MAX (0x10000000u / sizeof(struct io_event)) /* Linux's bound, against overflow */
#define AIO_CPUS 2                                               /* sole's cores: Linux sizes rings by them */

/* The header Linux puts before the events, and libaio reads. */
struct aio_ring {
	uint32_t id, nr, head, tail;
	uint32_t magic, compat_features, incompat_features, header_length;
};

/* An IOCB_CMD_POLL whose file was not ready at submit. */
struct aio_poll {
	struct aio_context *ctx;
	struct file *file, *resfd;
	unsigned events;
	struct io_event ev;
	struct waiter waiter; /* on the file's wait queue: wakes the context's */
	struct aio_poll *next;
};

struct aio_context {
	struct addrspace *as; /* held */
	uintptr_t ring;       /* the id the app knows it by */
	size_t ring_len;
	unsigned nr;        /* places in the ring */
	unsigned max_reqs;  /* what io_setup asked for, counted in aio_nr */
	unsigned tail;      /* the kernel's own copy: the app may scribble on the ring's */
	unsigned in_flight; /* reserved places whose event is not in the ring yet */
	struct wait_queue queue;
	struct aio_poll *polls;
	struct aio_context *next;
};

unsigned long aio_nr, aio_max_nr = 65536;

/* Every context of every program: a handful each, aio-max-nr bounds them. */
static struct aio_context *contexts;

static unsigned ring_head(struct aio_context *ctx)
{
	uint32_t head = 0;
	(void)copy_from_user(&head, &((struct aio_ring *)ctx->ring)->head, sizeof head);
	return head % ctx->nr;
}

static unsigned events_in_ring(struct aio_context *ctx) { return (ctx->tail + ctx->nr - ring_head(ctx)) % ctx->nr; }

/* The ring's size as Linux computes it: at least four events per CPU,
 * doubled, two spare, rounded up to whole pages. */
static int ring_map(struct aio_context *ctx, unsigned nr_events)
{
	unsigned want = (nr_events > AIO_CPUS * 4 ? nr_events : AIO_CPUS * 4) * 2 + 2;
	ctx->ring_len = PAGE_ALIGN_UP(sizeof(struct aio_ring) + (size_t)want * sizeof(struct io_event));
	ctx->nr = (unsigned)((ctx->ring_len - sizeof(struct aio_ring)) / sizeof(struct io_event));
	int err = as_find_free(ctx->as, ctx->ring_len, &ctx->ring);
	if (!err)
		err = as_map(ctx->as, ctx->ring, ctx->ring_len, VMA_READ | VMA_WRITE, 0, NULL, 0, 0, "[aio]");
	if (err)
		return err;
	struct aio_ring header = {.id = 0,
	                          .nr = ctx->nr,
	                          .magic = AIO_RING_MAGIC,
	                          .incompat_features = AIO_RING_INCOMPAT_FEATURES,
	                          .header_length = sizeof header};
	if (copy_to_user((void *)ctx->ring, &header, sizeof header)) {
		as_unmap(ctx->as, ctx->ring, ctx->ring_len);
		return -ENOMEM;
	}
	return 0;
}

long aio_setup(unsigned nr_events)
{
	if (nr_events == 0 || nr_events > AIO_EVENTS_MAX / 2)
		return -EINVAL;
	if (nr_events > aio_max_nr || aio_nr + nr_events > aio_max_nr)
		return -EAGAIN;
	struct aio_context *ctx = kzalloc(sizeof *ctx);
	if (!ctx)
		return -ENOMEM;
	ctx->as = current_process()->as;
	ctx->max_reqs = nr_events;
	int err = ring_map(ctx, nr_events);
	if (err) {
		kfree(ctx);
		return err;
	}
	addrspace_get(ctx->as);
	aio_nr += nr_events;
	ctx->next = contexts;
	contexts = ctx;
	return (long)ctx->ring;
}

struct aio_context *aio_find(uint64_t id)
{
	struct addrspace *as = current_process()->as;
	for (struct aio_context *ctx = contexts; ctx; ctx = ctx->next)
		if (ctx->as == as && ctx->ring == id)
			return ctx;
	return NULL;
}

static void poll_free(struct aio_poll *p)
{
	wait_remove(&p->waiter);
	file_put(p->file);
	if (p->resfd)
		file_put(p->resfd);
	kfree(p);
}

/* unmap is false when the address space is going away with the context. */
static void context_free(struct aio_context *ctx, bool unmap)
{
	for (struct aio_context **link = &contexts; *link; link = &(*link)->next)
		if (*link == ctx) {
			*link = ctx->next;
			break;
		}
	while (ctx->polls) {
		struct aio_poll *p = ctx->polls;
		ctx->polls = p->next;
		poll_free(p);
	}
	if (unmap)
		as_unmap(ctx->as, ctx->ring, ctx->ring_len);
	aio_nr -= ctx->max_reqs;
	wait_wake(&ctx->queue, __INT_MAX__, ~0u);
	addrspace_put(ctx->as);
	kfree(ctx);
}

void aio_destroy(struct aio_context *ctx) { context_free(ctx, true); }

int aio_reserve(struct aio_context *ctx)
{
	if (events_in_ring(ctx) + ctx->in_flight + 1 >= ctx->nr)
		return -EAGAIN;
	ctx->in_flight++;
	return 0;
}

void aio_unreserve(struct aio_context *ctx) { ctx->in_flight--; }

void aio_complete(struct aio_context *ctx, const struct io_event *ev, struct file *resfd)
{
	struct io_event *slots = (struct io_event *)(ctx->ring + sizeof(struct aio_ring));
	/* A ring the app unmapped or spoiled loses the event, as it would on
	 * Linux: nothing else depends on it. */
	(void)copy_to_user(&slots[ctx->tail], ev, sizeof *ev);
	ctx->tail = (ctx->tail + 1) % ctx->nr;
	uint32_t tail = ctx->tail;
	(void)copy_to_user(&((struct aio_ring *)ctx->ring)->tail, &tail, sizeof tail);
	ctx->in_flight--;
	if (resfd)
		eventfd_signal(resfd, 1);
	wait_wake(&ctx->queue, __INT_MAX__, ~0u);
}

/* Called from the file's wake-ups, maybe in an interrupt: the event itself
 * is written later, by a call of the app's (the ring is in its memory). */
static void poll_notify(struct waiter *w, uint32_t bits)
{
	(void)bits;
	struct aio_poll *p = (struct aio_poll *)((char *)w - offsetof(struct aio_poll, waiter));
	wait_wake(&p->ctx->queue, __INT_MAX__, ~0u);
}

static void poll_finish(struct aio_context *ctx, struct aio_poll **link, unsigned mask)
{
	struct aio_poll *p = *link;
	*link = p->next;
	p->ev.res = mask;
	aio_complete(ctx, &p->ev, p->resfd);
	poll_free(p);
}

/* Completes the waiting POLL requests whose files are ready now, with all
 * the events the file has: Linux reports a wake-up's whole key (a pipe's
 * write gives EPOLLIN | EPOLLRDNORM to a request for POLLIN). */
static void polls_collect(struct aio_context *ctx)
{
	struct aio_poll **link = &ctx->polls;
	while (*link) {
		unsigned mask = file_poll((*link)->file, NULL);
		if (mask & (*link)->events)
			poll_finish(ctx, link, mask);
		else
			link = &(*link)->next;
	}
}

int aio_poll_start(struct aio_context *ctx, struct file *f, unsigned events, const struct io_event *ev,
                   struct file *resfd)
{
	events |= POLL_ALWAYS_REPORTED;
	struct wait_queue *queue = NULL;
	unsigned mask = file_poll(f, &queue) & events;
	if (mask || !queue) {
		struct io_event done = *ev;
		done.res = mask;
		aio_complete(ctx, &done, resfd);
		file_put(f);
		if (resfd)
			file_put(resfd);
		return 0;
	}
	struct aio_poll *p = kzalloc(sizeof *p);
	if (!p)
		return -ENOMEM;
	*p = (struct aio_poll){.ctx = ctx, .file = f, .resfd = resfd, .events = events, .ev = *ev, .next = ctx->polls};
	p->waiter = (struct waiter){.notify = poll_notify, .bitset = events};
	wait_add(queue, &p->waiter, NULL);
	ctx->polls = p;
	return 0;
}

long aio_cancel(struct aio_context *ctx, uint64_t obj)
{
	for (struct aio_poll **link = &ctx->polls; *link; link = &(*link)->next)
		if ((*link)->ev.obj == obj) {
			poll_finish(ctx, link, file_poll((*link)->file, NULL) & (*link)->events);
			return -EINPROGRESS;
		}
	return -EINVAL;
}

/* Moves up to max events from the ring to the app: how many, or -EFAULT
 * (the ring keeps them). */
static long ring_take(struct aio_context *ctx, struct io_event *events, long max)
{
	unsigned head = ring_head(ctx);
	long n = 0;
	struct io_event *slots = (struct io_event *)(ctx->ring + sizeof(struct aio_ring));
	while (n < max && head != ctx->tail) {
		struct io_event ev;
		if (copy_from_user(&ev, &slots[head], sizeof ev) || copy_to_user(&events[n], &ev, sizeof ev))
			return n ? n : -EFAULT;
		head = (head + 1) % ctx->nr;
		n++;
		uint32_t h = head;
		(void)copy_to_user(&((struct aio_ring *)ctx->ring)->head, &h, sizeof h);
	}
	return n;
}

/* Whether ctx still exists: another thread may destroy it while this one
 * waits on it. */
static bool context_alive(const struct aio_context *ctx)
{
	for (struct aio_context *c = contexts; c; c = c->next)
		if (c == ctx)
			return true;
	return false;
}

long aio_getevents(struct aio_context *ctx, long min_nr, long nr, struct io_event *events, uint64_t deadline)
{
	long got = 0;
	for (;;) {
		polls_collect(ctx);
		long n = ring_take(ctx, events + got, nr - got);
		if (n < 0)
			return got ? got : n;
		got += n;
		if (got >= min_nr || got == nr)
			return got;
		enum wake_reason why = wait_on(&ctx->queue, deadline);
		if (why == WAKE_TIMEOUT || !context_alive(ctx))
			return got;
		if (why == WAKE_SIGNAL)
			return got ? got : -EINTR;
	}
}

/* The contexts of address spaces that no program uses any more: only
 * their contexts hold them, and leaving_as is the one the process p is
 * about to let go (exit), else NULL (exec has let go of the old one). */
static void drop_orphans(struct addrspace *leaving_as)
{
	struct aio_context *ctx = contexts;
	while (ctx) {
		int holders = 0;
		for (struct aio_context *c = contexts; c; c = c->next)
			holders += c->as == ctx->as;
		int users = ctx->as->refs - holders - (ctx->as == leaving_as);
		struct aio_context *next = ctx->next;
		if (users == 0) {
			context_free(ctx, false);
			next = contexts; /* the list changed: start again */
		}
		ctx = next;
	}
}

static void aio_process_exit(struct process *p) { drop_orphans(p->as); }
static void aio_process_exec(struct process *p)
{
	(void)p;
	drop_orphans(NULL);
}
PROCESS_EXIT_HOOK(aio_process_exit);
PROCESS_EXEC_HOOK(aio_process_exec);
