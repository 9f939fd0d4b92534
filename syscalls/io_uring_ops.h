/* io_uring's requests (io_uring_ops.c): what io_uring_enter, io_uring_setup
 * and the probe ask of them. */
#ifndef SOLE_IO_URING_OPS_H
#define SOLE_IO_URING_OPS_H

#include <stdbool.h>

#include "kernel/fs/io_uring.h"

/* Consumes up to to_submit SQEs: how many, or -EAGAIN when none could be
 * for want of memory. */
long io_ring_submit(struct io_ring *r, unsigned to_submit);
/* Goes on with the pending requests of the calling process that may
 * proceed now (readiness came, a timer fired). */
void io_ring_run_pending(struct io_ring *r);
/* Whether opcode is one sole runs (REGISTER_PROBE). */
bool io_ring_op_supported(unsigned opcode);
/* The hooks every ring gets. */
extern const struct io_ring_requests io_ring_requests;

#endif
