/* io_uring_setup, io_uring_enter and io_uring_register: their arguments
 * checked as Linux checks them; the rings and requests are
 * kernel/fs/io_uring*.c's. */
#include "kernel/errno.h"
#include "kernel/fs/io_uring.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "syscalls/io_uring_ops.h"
#include "syscalls/wait_args.h"

#define SETUP_FLAGS_KNOWN                                                                                              \
	(IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF | IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP |  \
	 IORING_SETUP_ATTACH_WQ | IORING_SETUP_R_DISABLED | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |      \
	 IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SQE128 | IORING_SETUP_CQE32 | IORING_SETUP_SINGLE_ISSUER |           \
	 IORING_SETUP_DEFER_TASKRUN)
/* Taken as the hints they are: completions are run when the app enters
 * the kernel anyway, and one issuer or many makes no difference here. */
#define SETUP_FLAGS_TAKEN                                                                                              \
	(IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |              \
	 IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SINGLE_ISSUER)
#define FEATURES                                                                                                       \
	(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_RW_CUR_POS |           \
	 IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_FAST_POLL | IORING_FEAT_POLL_32BITS | IORING_FEAT_EXT_ARG)
#define ENTER_FLAGS_KNOWN                                                                                              \
	(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG |               \
	 IORING_ENTER_REGISTERED_RING)

static unsigned round_up_pow2(unsigned n)
{
	unsigned p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/* The ring sizes Linux picks: powers of two, CQ twice the SQ unless
 * IORING_SETUP_CQSIZE says, clamped with IORING_SETUP_CLAMP. */
static long ring_sizes(unsigned entries, struct io_uring_params *p)
{
	bool clamp = p->flags & IORING_SETUP_CLAMP;
	if (entries == 0)
		return -EINVAL;
	if (entries > IO_URING_MAX_ENTRIES) {
		if (!clamp)
			return -EINVAL;
		entries = IO_URING_MAX_ENTRIES;
	}
	p->sq_entries = round_up_pow2(entries);
	if (!(p->flags & IORING_SETUP_CQSIZE)) {
		p->cq_entries = 2 * p->sq_entries;
		return 0;
	}
	if (p->cq_entries == 0)
		return -EINVAL;
	if (p->cq_entries > IO_URING_MAX_CQ_ENTRIES) {
		if (!clamp)
			return -EINVAL;
		p->cq_entries = IO_URING_MAX_CQ_ENTRIES;
	}
	p->cq_entries = round_up_pow2(p->cq_entries);
	return p->cq_entries < p->sq_entries ? -EINVAL : 0;
}

long sys_io_uring_setup(unsigned entries, struct io_uring_params *user_params)
{
	struct io_uring_params p;
	if (copy_from_user(&p, user_params, sizeof p))
		return -EFAULT;
	for (unsigned i = 0; i < sizeof p.resv / sizeof p.resv[0]; i++)
		if (p.resv[i])
			return -EINVAL;
	if (p.flags & ~SETUP_FLAGS_KNOWN)
		return -EINVAL;
	/* A kernel before 5.11 gave an unprivileged SQPOLL EPERM; the other
	 * modes need a worker pool or polled block devices sole lacks. */
	if (p.flags & IORING_SETUP_SQPOLL)
		return -EPERM;
	if (p.flags & ~SETUP_FLAGS_TAKEN)
		return -EINVAL;
	if ((p.flags & IORING_SETUP_TASKRUN_FLAG) && !(p.flags & IORING_SETUP_COOP_TASKRUN))
		return -EINVAL;
	long err = ring_sizes(entries, &p);
	if (err)
		return err;
	struct file *f = io_ring_create(p.sq_entries, p.cq_entries, p.flags, &io_ring_requests);
	if (!f)
		return -ENOMEM;
	p.features = FEATURES;
	io_ring_offsets(io_ring_of(f), &p.sq_off, &p.cq_off);
	if (copy_to_user(user_params, &p, sizeof p)) {
		file_put(f);
		return -EFAULT;
	}
	return fd_install_new(current_process()->files, f, true);
}

/* The ring behind fd, held: -EBADF, or -EOPNOTSUPP for another file. */
static struct io_ring *ring_get(unsigned fd, struct file **out, long *err)
{
	struct file *f = current_file((int)fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	struct io_ring *r = io_ring_of(f);
	if (!r) {
		*err = -EOPNOTSUPP;
		return NULL;
	}
	file_get(f);
	*out = f;
	return r;
}

/* io_uring_enter's wait: its signal mask and timeout come as the last two
 * arguments, or with IORING_ENTER_EXT_ARG in a struct io_uring_getevents_arg. */
static long wait_for_completions(struct io_ring *r, unsigned min_complete, unsigned flags, const void *argp,
                                 size_t argsz)
{
	const uint64_t *sigmask = argp;
	size_t sigmask_size = argsz;
	uint64_t deadline = 0;
	if (flags & IORING_ENTER_EXT_ARG) {
		struct io_uring_getevents_arg arg;
		if (argsz != sizeof arg)
			return -EINVAL;
		if (copy_from_user(&arg, argp, sizeof arg))
			return -EFAULT;
		sigmask = (const uint64_t *)(uintptr_t)arg.sigmask;
		sigmask_size = arg.sigmask_sz;
		int bad = deadline_from_user_timespec((const struct __kernel_timespec *)(uintptr_t)arg.ts, &deadline);
		if (bad)
			return bad;
	}
	long err = wait_sigmask_install(sigmask, sigmask_size);
	if (err)
		return err;
	if (min_complete > r->cq_entries)
		min_complete = r->cq_entries;
	return io_ring_wait(r, min_complete, deadline);
}

long sys_io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete, unsigned flags, const void *argp,
                        size_t argsz)
{
	if (flags & ~ENTER_FLAGS_KNOWN)
		return -EINVAL;
	if (flags & IORING_ENTER_REGISTERED_RING)
		return -EINVAL; /* no ring is registered: IORING_REGISTER_RING_FDS is refused */
	struct file *f;
	long ret;
	struct io_ring *r = ring_get(fd, &f, &ret);
	if (!r)
		return ret;
	long submitted = to_submit ? io_ring_submit(r, to_submit) : 0;
	if (submitted < 0 || (unsigned long)submitted != to_submit) {
		ret = submitted;
	} else {
		ret = 0;
		if (flags & IORING_ENTER_GETEVENTS)
			ret = wait_for_completions(r, min_complete, flags, argp, argsz);
		else
			io_ring_run_pending(r);
		if (submitted)
			ret = submitted;
	}
	file_put(f);
	return ret;
}

/* REGISTER_PROBE: the app's zeroed struct io_uring_probe and count ops
 * after it get which opcodes run. */
static long probe(struct io_uring_probe *user, unsigned count)
{
	if (count > IORING_OP_LAST)
		count = IORING_OP_LAST;
	size_t size = sizeof(struct io_uring_probe) + count * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = kmalloc(size);
	if (!p)
		return -ENOMEM;
	long err = copy_from_user(p, user, size) ? -EFAULT : 0;
	for (size_t i = 0; !err && i < size; i++)
		if (((uint8_t *)p)[i])
			err = -EINVAL; /* the app hands it in zeroed */
	if (!err) {
		p->last_op = IORING_OP_LAST - 1;
		p->ops_len = (uint8_t)count;
		for (unsigned op = 0; op < count; op++)
			p->ops[op] = (struct io_uring_probe_op){
			    .op = (uint8_t)op, .flags = io_ring_op_supported(op) ? IO_URING_OP_SUPPORTED : 0};
		err = copy_to_user(user, p, size) ? -EFAULT : 0;
	}
	kfree(p);
	return err;
}

long sys_io_uring_register(unsigned fd, unsigned opcode, void *arg, unsigned nr_args)
{
	struct file *f;
	long ret;
	struct io_ring *r = ring_get(fd, &f, &ret);
	if (!r)
		return ret;
	ret = opcode == IORING_REGISTER_PROBE ? probe(arg, nr_args) : io_ring_register(r, opcode, arg, nr_args);
	file_put(f);
	return ret;
}
