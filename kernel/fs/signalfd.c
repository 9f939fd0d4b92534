/* signalfd objects: a file that reads the caller's pending signals in
 * its mask as struct signalfd_siginfo, instead of running their handlers;
 * readable (for poll, select and epoll) while one of them is pending. */
#include "kernel/fs/signalfd.h"

#include <linux/fcntl.h>
#include <linux/signalfd.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"

struct signalfd {
	uint64_t mask;
};

static bool fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

/* Linux's signalfd_copyinfo: each si_code family fills its own fields. */
static struct signalfd_siginfo to_signalfd_info(const struct signal_info *info)
{
	struct signalfd_siginfo out = {
	    .ssi_signo = (uint32_t)info->signo, .ssi_errno = info->errnum, .ssi_code = info->code};
	if (info->code == SI_TIMER) {
		out.ssi_tid = (uint32_t)info->timer.id;
		out.ssi_overrun = (uint32_t)info->timer.overrun;
		out.ssi_int = (int32_t)info->timer.value;
		out.ssi_ptr = info->timer.value;
	} else if (info->code > 0 && fault_signal(info->signo)) {
		out.ssi_addr = info->fault.addr;
	} else {
		out.ssi_pid = (uint32_t)info->sender.pid;
		out.ssi_uid = info->sender.uid;
		out.ssi_int = (int32_t)info->sender.value;
		out.ssi_ptr = info->sender.value;
	}
	return out;
}

static bool any_pending(uint64_t mask)
{
	struct thread *t = current_thread();
	return (t->signals.pending.set | t->proc->shared_pending.set) & mask;
}

static long signalfd_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	struct signalfd *s = f->object;
	const size_t size = sizeof(struct signalfd_siginfo);
	if (len < size)
		return -EINVAL;
	while (!any_pending(s->mask)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		long err = readiness_wait(signal_fd_queue(), 0);
		if (err)
			return err;
	}
	size_t done = 0;
	struct signal_info info;
	while (done + size <= len && signal_dequeue(current_thread(), s->mask, &info)) {
		struct signalfd_siginfo out = to_signalfd_info(&info);
		if (iobuf_put(buf, done, &out, size))
			return done ? (long)done : -EFAULT;
		done += size;
	}
	return (long)done;
}

static unsigned signalfd_poll(struct file *f, struct wait_queue **queue)
{
	struct signalfd *s = f->object;
	if (queue)
		*queue = signal_fd_queue();
	return any_pending(s->mask) ? EPOLLIN | EPOLLRDNORM : 0;
}

static void signalfd_release(struct file *f) { kfree(f->object); }

static const struct file_ops signalfd_ops = {.read = signalfd_read, .release = signalfd_release, .poll = signalfd_poll};

struct file *signalfd_create(uint64_t mask, unsigned flags)
{
	struct signalfd *s = kzalloc(sizeof *s);
	if (!s)
		return NULL;
	s->mask = mask;
	struct file *f =
	    file_open_anonymous(NULL, 0600, &signalfd_ops, s, O_RDONLY | (flags & O_NONBLOCK), "anon_inode:[signalfd]");
	if (!f)
		kfree(s);
	return f;
}

int signalfd_set_mask(struct file *f, uint64_t mask)
{
	if (f->ops != &signalfd_ops)
		return -EINVAL;
	((struct signalfd *)f->object)->mask = mask;
	readiness_notify(signal_fd_queue(), EPOLLIN | EPOLLRDNORM);
	return 0;
}
