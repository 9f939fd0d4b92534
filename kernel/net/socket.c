/* The socket core: struct socket and its file ("socket:[N]", S_IFSOCK),
 * the table of families, and one send or receive as every path (sendmsg,
 * write, writev, sendfile) makes it. */
#include "kernel/net/socket_core.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/readiness.h"
#include "kernel/net/interface.h"
#include "kernel/net/netlink.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/time.h"
#include "libc-glue/kformat.h"

static const struct socket_family *const families[] = {
    &unix_socket_family,
    &inet_socket_family,
    &inet6_socket_family,
    &netlink_socket_family,
};

static const struct socket_family *family_for(int domain)
{
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (families[i]->domain == domain)
			return families[i];
	return NULL;
}

static struct socket *socket_new(int domain, int type, int protocol)
{
	struct socket *s = kzalloc(sizeof *s);
	if (!s)
		return NULL;
	s->domain = domain;
	s->type = type;
	s->protocol = protocol;
	s->rcvbuf = SOCKET_DEFAULT_BUFFER;
	s->sndbuf = SOCKET_DEFAULT_BUFFER;
	s->rcvlowat = 1;
	return s;
}

int socket_create(int domain, int type, int protocol, struct socket **out)
{
	const struct socket_family *family = family_for(domain);
	if (!family)
		return -EAFNOSUPPORT;
	struct socket *s = socket_new(domain, type, protocol);
	if (!s)
		return -ENOMEM;
	int err = family->create(s);
	if (err) {
		kfree(s);
		return err;
	}
	*out = s;
	return 0;
}

int socket_create_pair(int domain, int type, int protocol, struct socket *pair[2])
{
	int err = socket_create(domain, type, protocol, &pair[0]);
	if (err)
		return err;
	if ((err = socket_create(domain, type, protocol, &pair[1]))) {
		socket_free(pair[0]);
		return err;
	}
	const struct socket_family *family = family_for(domain);
	err = family->pair ? family->pair(pair[0], pair[1]) : -EOPNOTSUPP;
	if (err) {
		socket_free(pair[0]);
		socket_free(pair[1]);
	}
	return err;
}

struct socket *socket_alloc_like(const struct socket *like)
{
	struct socket *s = socket_new(like->domain, like->type, like->protocol);
	if (s)
		s->ops = like->ops;
	return s;
}

void socket_inherit_options(struct socket *child, const struct socket *listener)
{
	child->reuseaddr = listener->reuseaddr;
	child->reuseport = listener->reuseport;
	child->keepalive = listener->keepalive;
	child->oobinline = listener->oobinline;
	child->linger_on = listener->linger_on;
	child->linger_seconds = listener->linger_seconds;
	child->rcvbuf = listener->rcvbuf;
	child->sndbuf = listener->sndbuf;
	child->rcvlowat = listener->rcvlowat;
	child->rcvtimeo_ns = listener->rcvtimeo_ns;
	child->sndtimeo_ns = listener->sndtimeo_ns;
	child->priority = listener->priority;
	child->mark = listener->mark;
}

void socket_free(struct socket *s)
{
	s->ops->release(s);
	kfree(s);
}

void socket_notify(struct socket *s, unsigned events) { readiness_notify(&s->wait, events); }

uint64_t socket_deadline(uint64_t timeout_ns) { return timeout_ns ? time_monotonic_ns() + timeout_ns : 0; }

static bool nonblocking(const struct socket *s, int msg_flags)
{
	return (s->file->flags & O_NONBLOCK) || (msg_flags & MSG_DONTWAIT);
}

long socket_wait_result(long ret, uint64_t deadline, long timed_out)
{
	if (ret == -ETIMEDOUT && deadline && time_monotonic_ns() >= deadline)
		return timed_out;
	if (ret == -ERESTARTSYS && deadline)
		return -EINTR; /* Linux restarts only calls that wait without a timeout */
	return ret;
}

long socket_send(struct socket *s, struct socket_msg *m)
{
	m->nonblock = nonblocking(s, m->flags);
	m->deadline = m->nonblock ? 0 : socket_deadline(s->sndtimeo_ns);
	long n = socket_wait_result(s->ops->sendmsg(s, m), m->deadline, -EAGAIN);
	if (n == -EPIPE && !(m->flags & MSG_NOSIGNAL))
		signal_broken_pipe();
	return n;
}

long socket_recv(struct socket *s, struct socket_msg *m)
{
	m->nonblock = nonblocking(s, m->flags);
	m->deadline = m->nonblock ? 0 : socket_deadline(s->rcvtimeo_ns);
	return socket_wait_result(s->ops->recvmsg(s, m), m->deadline, -EAGAIN);
}

long socket_transfer(struct socket *s, const struct iovec *iov, unsigned count, bool user, bool write)
{
	struct socket_msg m = {0};
	io_iter_init(&m.data, iov, count, user);
	if (write) {
		if (s->type == SOCK_SEQPACKET)
			m.flags = MSG_EOR;
		return socket_send(s, &m);
	}
	if (m.data.remaining == 0)
		return 0; /* Linux answers an empty read at once, even on an empty socket */
	return socket_recv(s, &m);
}

/* read and write (and sendfile, with a kernel buffer): one segment. */
static long socket_file_transfer(struct file *f, struct iobuf buf, size_t len, bool write)
{
	struct iovec iov = {.iov_base = buf.base, .iov_len = len};
	return socket_transfer(f->object, &iov, 1, buf.user, write);
}

static long socket_file_read(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return socket_file_transfer(f, buf, len, false);
}

static long socket_file_write(struct file *f, struct iobuf buf, size_t len, uint64_t *pos)
{
	(void)pos;
	return socket_file_transfer(f, buf, len, true);
}

static unsigned socket_file_poll(struct file *f, struct wait_queue **queue)
{
	struct socket *s = f->object;
	if (queue)
		*queue = &s->wait;
	return s->ops->poll(s);
}

static long socket_file_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct socket *s = f->object;
	long ret = s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
	/* What the family does not know may be about the interfaces, as
	 * Linux's sock_do_ioctl falls back to dev_ioctl. */
	return ret == -ENOTTY ? interface_ioctl(s->domain, cmd, arg) : ret;
}

static void socket_file_release(struct file *f) { socket_free(f->object); }

static const struct file_ops socket_file_ops = {
    .read = socket_file_read,
    .write = socket_file_write,
    .ioctl = socket_file_ioctl,
    .release = socket_file_release,
    .poll = socket_file_poll,
};

struct socket *socket_from_file(struct file *f) { return f->ops == &socket_file_ops ? f->object : NULL; }

int socket_install(struct socket *s, int flags)
{
	struct inode *ino = inode_new(S_IFSOCK | 0777);
	if (!ino) {
		socket_free(s);
		return -ENOMEM;
	}
	ino->nlink = 0;
	char name[32];
	ksnprintf(name, sizeof name, "socket:[%lu]", (unsigned long)ino->ino);
	unsigned file_flags = O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	struct file *f = file_open_anonymous(ino, 0, &socket_file_ops, s, file_flags, name);
	inode_put(ino);
	if (!f) {
		socket_free(s);
		return -ENOMEM;
	}
	s->file = f;
	int fd = fd_install(current_process()->files, f, 0, flags & SOCK_CLOEXEC);
	file_put(f); /* on failure this frees s */
	return fd;
}

struct socket *socket_get(int fd, int *err)
{
	struct file *f = current_file(fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	struct socket *s = socket_from_file(f);
	if (!s) {
		*err = -ENOTSOCK;
		return NULL;
	}
	file_get(f);
	return s;
}

void socket_put(struct socket *s) { file_put(s->file); }
