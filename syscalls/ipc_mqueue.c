/* POSIX message queue syscalls: mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive, mq_notify and mq_getsetattr. They check and copy the
 * app's arguments in Linux's order; the queues live in kernel/ipc/mqueue.c.
 * A message comes into the kernel whole before it is queued, and leaves it
 * after it is taken. */
#include <linux/fcntl.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/ipc/mqueue.h"
#include "kernel/mm/uaccess.h"
#include "kernel/net/socket.h"
#include "kernel/proc/process.h"
#include "syscalls/fs_common.h"
#include "syscalls/timespec.h"

long sys_mq_open(const char *user_name, int oflag, uint32_t mode, const struct mq_attr *user_attr)
{
	struct mq_attr attr;
	if (user_attr && copy_from_user(&attr, user_attr, sizeof attr))
		return -EFAULT;
	struct user_path name;
	int err = user_path_get(user_name, &name, false);
	if (err)
		return err;
	return mq_open(name.name, oflag, mode, user_attr ? &attr : NULL);
}

long sys_mq_unlink(const char *user_name)
{
	struct user_path name;
	int err = user_path_get(user_name, &name, false);
	return err ? err : mq_unlink(name.name);
}

/* The deadline of an absolute CLOCK_REALTIME timeout, 0 for none. Linux
 * checks it before anything else, even when the call would not block. */
static int deadline_of(const struct __kernel_timespec *user, uint64_t *deadline)
{
	*deadline = 0;
	if (!user)
		return 0;
	uint64_t ns;
	int err = timespec_from_user(user, &ns);
	if (!err)
		*deadline = deadline_at_realtime(ns);
	return err;
}

/* The queue file behind fd, held until file_put: a blocked call keeps it
 * even when another thread closes the descriptor. */
static struct file *queue_get(int fd)
{
	struct file *f = current_file(fd);
	if (!f || !mq_file(f))
		return NULL;
	file_get(f);
	return f;
}

long sys_mq_timedsend(int mqdes, const char *msg, size_t len, unsigned prio, const struct __kernel_timespec *timeout)
{
	uint64_t deadline;
	int err = deadline_of(timeout, &deadline);
	if (err)
		return err;
	if (prio >= MQ_PRIO_MAX)
		return -EINVAL;
	struct file *f = queue_get(mqdes);
	if (!f)
		return -EBADF;
	err = mq_check(f, true, len);
	struct mq_message *m = err ? NULL : mq_message_alloc(len);
	if (!err && !m)
		err = -ENOMEM;
	if (!err && copy_from_user(m->text, msg, len))
		err = -EFAULT;
	if (!err) {
		m->prio = prio;
		err = mq_send(f, m, deadline);
	}
	if (err && m)
		mq_message_free(m);
	file_put(f);
	return err;
}

long sys_mq_timedreceive(int mqdes, char *msg, size_t len, unsigned *prio, const struct __kernel_timespec *timeout)
{
	uint64_t deadline;
	int err = deadline_of(timeout, &deadline);
	if (err)
		return err;
	struct file *f = queue_get(mqdes);
	if (!f)
		return -EBADF;
	err = mq_check(f, false, len);
	struct mq_message *m = err ? NULL : mq_receive(f, deadline, &err);
	file_put(f);
	if (!m)
		return err;
	long result = (long)m->size;
	if ((prio && copy_to_user(prio, &m->prio, sizeof m->prio)) || copy_to_user(msg, m->text, m->size))
		result = -EFAULT; /* the message is gone, as on Linux */
	mq_message_free(m);
	return result;
}

/* SIGEV_THREAD names a netlink socket for the kernel to send the cookie
 * to (glibc and musl make one); sole has no AF_NETLINK, so it fails the
 * way Linux fails for a descriptor that is no netlink socket. */
static int thread_notification(const struct sigevent_abi *ev)
{
	char cookie[NOTIFY_COOKIE_LEN];
	if (copy_from_user(cookie, (const void *)(uintptr_t)ev->value, sizeof cookie))
		return -EFAULT;
	struct file *sock = current_file(ev->signo);
	if (!sock)
		return -EBADF;
	return socket_from_file(sock) ? -EINVAL : -ENOTSOCK;
}

long sys_mq_notify(int mqdes, const struct sigevent_abi *user_ev)
{
	struct sigevent_abi ev;
	struct mq_notification n;
	if (user_ev) {
		if (copy_from_user(&ev, user_ev, sizeof ev))
			return -EFAULT;
		if (ev.notify == SIGEV_THREAD)
			return thread_notification(&ev);
		if (ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_NONE)
			return -EINVAL;
		if (ev.notify == SIGEV_SIGNAL && (uint32_t)ev.signo > NSIG)
			return -EINVAL;
		n = (struct mq_notification){.notify = ev.notify, .signo = ev.signo, .value = ev.value};
	}
	struct file *f = current_file(mqdes);
	if (!f || !mq_file(f))
		return -EBADF;
	return mq_notify(f, user_ev ? &n : NULL);
}

long sys_mq_getsetattr(int mqdes, const struct mq_attr *user_new, struct mq_attr *user_old)
{
	struct mq_attr new;
	if (user_new) {
		if (copy_from_user(&new, user_new, sizeof new))
			return -EFAULT;
		if (new.mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
	}
	struct file *f = current_file(mqdes);
	if (!f || !mq_file(f))
		return -EBADF;
	struct mq_attr old = mq_attr_of(f);
	if (user_new)
		f->flags = (f->flags & ~(unsigned)O_NONBLOCK) | (unsigned)new.mq_flags;
	return user_old && copy_to_user(user_old, &old, sizeof old) ? -EFAULT : 0;
}
