/* The socket syscalls that move data: sendto, recvfrom, sendmsg, recvmsg,
 * sendmmsg and recvmmsg. Each message's header, iovec array, address and
 * ancillary data come into the kernel here; the bytes themselves move
 * through an io_iter over the app's buffers. */
#include "kernel/net/socket_core.h"

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"
#include "syscalls/iovec.h"
#include "syscalls/net/sockaddr_user.h"

#define IOV_MAX_COUNT 1024 /* UIO_MAXIOV */
#define CONTROL_MAX 131072 /* net.core.optmem_max: larger ancillary data is ENOBUFS */
#define NSEC_PER_SEC 1000000000ll

/* struct msghdr and struct mmsghdr as the kernel reads them (musl's pad
 * msg_iovlen and msg_controllen to ints). */
struct linux_msghdr {
	void *name;
	int namelen;
	struct iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	unsigned flags;
};

struct linux_mmsghdr {
	struct linux_msghdr hdr;
	unsigned len;
};

/* What one sendmsg or recvmsg brought into the kernel, to free after. */
struct msg_buffers {
	struct sockaddr_storage addr;
	struct iovec *iov;
	void *control;
};

static void msg_buffers_free(struct msg_buffers *b)
{
	kfree(b->iov);
	kfree(b->control);
}

/* The iovec array and the room for ancillary data, shared by both ways. */
static int msg_import(const struct linux_msghdr *h, struct msg_buffers *b, struct socket_msg *m)
{
	if (h->name && h->namelen < 0)
		return -EINVAL;
	if (h->iovlen > IOV_MAX_COUNT)
		return -EMSGSIZE;
	long err = iovec_from_user(h->iov, h->iovlen, &b->iov);
	if (err < 0)
		return (int)err;
	io_iter_init(&m->data, b->iov, (unsigned)h->iovlen, true);
	if (h->control && h->controllen) {
		m->control_len = h->controllen < CONTROL_MAX ? h->controllen : CONTROL_MAX;
		if (!(b->control = m->control = kzalloc(m->control_len)))
			return -ENOMEM;
	}
	return 0;
}

/* One sendmsg from a header already in the kernel; *unsent gets what the
 * family left of the data (sendmmsg stops there). */
static long send_one(struct socket *s, const struct linux_msghdr *h, int flags, size_t *unsent)
{
	struct msg_buffers b = {0};
	struct socket_msg m = {.flags = flags};
	/* Linux cannot allocate ancillary data beyond optmem_max. */
	long ret = h->controllen > CONTROL_MAX ? -ENOBUFS : msg_import(h, &b, &m);
	if (!ret && m.control && copy_from_user(m.control, h->control, m.control_len))
		ret = -EFAULT;
	int namelen = h->namelen < (int)sizeof b.addr ? h->namelen : (int)sizeof b.addr;
	if (!ret && h->name && namelen) {
		ret = sockaddr_from_user(&b.addr, h->name, namelen);
		m.addr = &b.addr;
		m.addr_len = (socklen_t)namelen;
	}
	if (!ret)
		ret = socket_send(s, &m);
	*unsent = m.data.remaining;
	msg_buffers_free(&b);
	return ret;
}

/* One recvmsg into the header at user (h: its copy in the kernel): the
 * source address, msg_flags and the ancillary data go back into it. */
static long recv_one(struct socket *s, const struct linux_msghdr *h, struct linux_msghdr *user, int flags)
{
	struct msg_buffers b = {0};
	/* Linux reports MSG_CMSG_CLOEXEC back in msg_flags when it was asked for. */
	struct socket_msg m = {.flags = flags, .out_flags = flags & MSG_CMSG_CLOEXEC};
	long ret = msg_import(h, &b, &m);
	if (!ret && h->name)
		m.addr = &b.addr;
	if (!ret)
		ret = socket_recv(s, &m);
	if (ret >= 0) {
		size_t control_len = m.control ? m.control_len : 0;
		unsigned out_flags = (unsigned)m.out_flags;
		if ((h->name && sockaddr_to_user(&b.addr, m.addr_len, h->name, (socklen_t *)&user->namelen)) ||
		    copy_to_user(&user->flags, &out_flags, sizeof out_flags) ||
		    (control_len && copy_to_user(h->control, m.control, control_len)) ||
		    copy_to_user(&user->controllen, &control_len, sizeof control_len))
			ret = -EFAULT;
	}
	msg_buffers_free(&b);
	return ret;
}

/* sendto's and recvfrom's one buffer, capped as Linux caps it. */
static int single_buffer(struct iovec *iov, void *buf, size_t len, struct socket_msg *m)
{
	iov->iov_base = buf;
	iov->iov_len = len < RW_MAX ? len : RW_MAX;
	if (!user_range_ok(iov->iov_base, iov->iov_len))
		return -EFAULT;
	io_iter_init(&m->data, iov, 1, true);
	return 0;
}

long socket_sendto_user(struct socket *s, const void *buf, size_t len, unsigned flags, const void *user_addr,
                        int addrlen)
{
	struct iovec iov;
	struct sockaddr_storage addr;
	struct socket_msg m = {.flags = (int)flags};
	long ret = single_buffer(&iov, (void *)buf, len, &m);
	if (!ret && user_addr) {
		/* An address with length 0 still counts as given: UDP refuses it. */
		ret = sockaddr_from_user(&addr, user_addr, addrlen);
		m.addr = &addr;
		m.addr_len = (socklen_t)addrlen;
	}
	return ret ? ret : socket_send(s, &m);
}

long socket_recvfrom_user(struct socket *s, void *buf, size_t len, unsigned flags, void *user_addr,
                          socklen_t *user_addrlen)
{
	struct iovec iov;
	struct sockaddr_storage addr;
	struct socket_msg m = {.flags = (int)flags, .addr = user_addr ? &addr : NULL};
	long ret = single_buffer(&iov, buf, len, &m);
	if (!ret)
		ret = socket_recv(s, &m);
	int err;
	if (ret >= 0 && user_addr && (err = sockaddr_to_user(&addr, m.addr_len, user_addr, user_addrlen)))
		ret = err;
	return ret;
}

long socket_sendmsg_user(struct socket *s, const struct linux_msghdr *user_msg, unsigned flags)
{
	struct linux_msghdr h;
	size_t unsent;
	return copy_from_user(&h, user_msg, sizeof h) ? -EFAULT : send_one(s, &h, (int)flags, &unsent);
}

long socket_recvmsg_user(struct socket *s, struct linux_msghdr *user_msg, unsigned flags)
{
	struct linux_msghdr h;
	return copy_from_user(&h, user_msg, sizeof h) ? -EFAULT : recv_one(s, &h, user_msg, (int)flags);
}

/* The calls by descriptor: the socket is held while the call may block. */
long sys_sendto(int fd, const void *buf, size_t len, unsigned flags, const void *user_addr, int addrlen)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_sendto_user(s, buf, len, flags, user_addr, addrlen);
	socket_put(s);
	return ret;
}

long sys_recvfrom(int fd, void *buf, size_t len, unsigned flags, void *user_addr, socklen_t *user_addrlen)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_recvfrom_user(s, buf, len, flags, user_addr, user_addrlen);
	socket_put(s);
	return ret;
}

long sys_sendmsg(int fd, const struct linux_msghdr *user_msg, unsigned flags)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_sendmsg_user(s, user_msg, flags);
	socket_put(s);
	return ret;
}

long sys_recvmsg(int fd, struct linux_msghdr *user_msg, unsigned flags)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_recvmsg_user(s, user_msg, flags);
	socket_put(s);
	return ret;
}

/* Stops at the first error or short send; an error after some messages
 * went is lost, as on Linux. */
long sys_sendmmsg(int fd, struct linux_mmsghdr *vec, unsigned vlen, unsigned flags)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	if (vlen > IOV_MAX_COUNT)
		vlen = IOV_MAX_COUNT;
	long sent = 0, ret = 0;
	while ((unsigned long)sent < vlen) {
		struct linux_msghdr h;
		size_t unsent = 0;
		ret = copy_from_user(&h, &vec[sent].hdr, sizeof h) ? -EFAULT : send_one(s, &h, (int)flags, &unsent);
		if (ret < 0)
			break;
		unsigned n = (unsigned)ret;
		if (copy_to_user(&vec[sent].len, &n, sizeof n)) {
			ret = -EFAULT;
			break;
		}
		sent++;
		if (unsent)
			break;
	}
	socket_put(s);
	return sent ? sent : ret;
}

struct user_timespec {
	int64_t sec, nsec;
};

/* recvmmsg's quirks, as Linux has them: a pending socket error is reported
 * (and cleared) first; the timeout is checked only after each message (a
 * receive itself may block past it) and the time left is written back; an
 * error after some messages is kept as the socket's error for the next call. */
static long receive_batch(struct socket *s, struct linux_mmsghdr *vec, unsigned vlen, unsigned flags, uint64_t end,
                          bool timed)
{
	if (!(flags & MSG_ERRQUEUE) && s->error) {
		int e = s->error;
		s->error = 0;
		return -e;
	}
	long received = 0, ret = 0;
	while ((unsigned long)received < vlen) {
		struct linux_msghdr h;
		struct linux_mmsghdr *entry = &vec[received];
		ret = copy_from_user(&h, &entry->hdr, sizeof h)
		          ? -EFAULT
		          : recv_one(s, &h, &entry->hdr, (int)(flags & ~MSG_WAITFORONE));
		if (ret < 0)
			break;
		unsigned n = (unsigned)ret;
		if (copy_to_user(&entry->len, &n, sizeof n)) {
			ret = -EFAULT;
			break;
		}
		received++;
		ret = 0;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (timed && time_monotonic_ns() >= end)
			break;
	}
	if (ret == 0 || received == 0)
		return received ? received : ret;
	if (ret != -EAGAIN && ret > -ERESTARTSYS)
		s->error = (int)-ret;
	return received;
}

long sys_recvmmsg(int fd, struct linux_mmsghdr *vec, unsigned vlen, unsigned flags, struct user_timespec *timeout)
{
	struct user_timespec ts;
	uint64_t end = 0;
	if (timeout) {
		if (copy_from_user(&ts, timeout, sizeof ts))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NSEC_PER_SEC)
			return -EINVAL;
		end = time_monotonic_ns() + (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
	}
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	if (vlen > IOV_MAX_COUNT)
		vlen = IOV_MAX_COUNT;
	long ret = receive_batch(s, vec, vlen, flags, end, timeout != NULL);
	socket_put(s);
	if (ret > 0 && timeout) {
		uint64_t now = time_monotonic_ns(), left = end > now ? end - now : 0;
		ts = (struct user_timespec){(int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC)};
		if (copy_to_user(timeout, &ts, sizeof ts))
			return -EFAULT;
	}
	return ret;
}
