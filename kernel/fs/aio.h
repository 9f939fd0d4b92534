/* Linux native AIO contexts (io_setup and friends): each one a ring of
 * completion events mapped into the address space that made it, laid out
 * as Linux lays it out so that libaio reads completions without a syscall.
 * Reads, writes and syncs complete when submitted; POLL requests wait here
 * for their file's readiness. */
#ifndef SOLE_AIO_H
#define SOLE_AIO_H

#include <linux/aio_abi.h>
#include <stdint.h>

#include "kernel/fs/file.h"

struct aio_context;

/* /proc/sys/fs/aio-nr (the events every context holds) and aio-max-nr. */
extern unsigned long aio_nr, aio_max_nr;

/* A new context for nr_events in the caller's address space: its ring's
 * address (the context id), -EINVAL, -EAGAIN (over aio-max-nr) or -ENOMEM. */
long aio_setup(unsigned nr_events);
/* The caller's context with this id, or NULL. */
struct aio_context *aio_find(uint64_t id);
/* Drops a context: its waiting POLL requests and its ring go. */
void aio_destroy(struct aio_context *ctx);

/* Takes a place in the ring for one request: 0, or -EAGAIN when every
 * place holds a request or an event not yet reaped. */
int aio_reserve(struct aio_context *ctx);
/* Gives a reserved place back (the request failed before it started). */
void aio_unreserve(struct aio_context *ctx);
/* Puts a reserved request's event in the ring and wakes the waiters; resfd
 * (may be NULL) is an eventfd that counts one more completion. */
void aio_complete(struct aio_context *ctx, const struct io_event *ev, struct file *resfd);
/* A reserved IOCB_CMD_POLL on f for events (EPOLL*): complete at once when
 * f is ready, else later, from io_getevents. Takes over the caller's
 * references to f and resfd. 0 or -ENOMEM. */
int aio_poll_start(struct aio_context *ctx, struct file *f, unsigned events, const struct io_event *ev,
                   struct file *resfd);
/* io_cancel: a waiting POLL request whose io_event.obj is obj completes now
 * (its event goes to the ring): -EINPROGRESS as on Linux, or -EINVAL when
 * no request of that obj waits. */
long aio_cancel(struct aio_context *ctx, uint64_t obj);
/* Waits until min_nr events are in the ring or deadline (monotonic ns, 0
 * for none) passes, and moves up to nr of them to the app's events array:
 * their count, -EFAULT, or -EINTR for a signal with none. */
long aio_getevents(struct aio_context *ctx, long min_nr, long nr, struct io_event *events, uint64_t deadline);

#endif
