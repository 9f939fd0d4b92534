/* The socket syscalls that make, name and connect sockets: socket,
 * socketpair, bind, listen, accept, accept4, connect, shutdown,
 * getsockname and getpeername. Data moves in socket_msg.c, options in
 * sockopt.c. */
#include "kernel/net/socket_core.h"

#include <linux/fcntl.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "syscalls/net/sockaddr_user.h"

#define SOCK_TYPE_MASK 0xf
#define SOCK_TYPE_MAX 10 /* SOCK_PACKET */
#define SOCK_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)
#define DOMAIN_MAX 46 /* Linux's AF_MAX (musl's header says 45) */

/* socket's and socketpair's checks before the family sees the call. */
static int check_domain_type(int domain, int type, int *flags)
{
	*flags = type & ~SOCK_TYPE_MASK;
	if (*flags & ~SOCK_FLAGS)
		return -EINVAL;
	if (domain < 0 || domain >= DOMAIN_MAX)
		return -EAFNOSUPPORT;
	if ((type & SOCK_TYPE_MASK) > SOCK_TYPE_MAX)
		return -EINVAL;
	return 0;
}

long sys_socket(int domain, int type, int protocol)
{
	int flags;
	struct socket *s;
	int err = check_domain_type(domain, type, &flags);
	if (!err)
		err = socket_create(domain, type & SOCK_TYPE_MASK, protocol, &s);
	return err ? err : socket_install(s, flags);
}

long sys_socketpair(int domain, int type, int protocol, int *user_fds)
{
	int flags;
	struct socket *pair[2];
	int err = check_domain_type(domain, type, &flags);
	if (!err)
		err = socket_create_pair(domain, type & SOCK_TYPE_MASK, protocol, pair);
	if (err)
		return err;
	struct fd_table *table = current_process()->files;
	int fds[2] = {socket_install(pair[0], flags), -1};
	if (fds[0] < 0) {
		socket_free(pair[1]);
		return fds[0];
	}
	fds[1] = socket_install(pair[1], flags);
	if (fds[1] < 0 || copy_to_user(user_fds, fds, sizeof fds)) {
		fd_close(table, fds[0]);
		if (fds[1] < 0)
			return fds[1];
		fd_close(table, fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_bind(int fd, const void *user_addr, int addrlen)
{
	struct sockaddr_storage addr;
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	err = sockaddr_from_user(&addr, user_addr, addrlen);
	if (!err)
		err = s->ops->bind ? s->ops->bind(s, (struct sockaddr *)&addr, (socklen_t)addrlen) : -EOPNOTSUPP;
	socket_put(s);
	return err;
}

long sys_listen(int fd, int backlog)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	if ((unsigned)backlog > SOCKET_MAX_BACKLOG)
		backlog = SOCKET_MAX_BACKLOG;
	err = s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
	if (!err)
		s->listening = true;
	socket_put(s);
	return err;
}

/* The accepted socket's peer address goes out before it gets a descriptor,
 * so that a bad pointer drops the connection, as on Linux. */
long socket_accept_user(struct socket *listener, void *user_addr, socklen_t *user_addrlen, int flags)
{
	if (flags & ~SOCK_FLAGS)
		return -EINVAL;
	if (!listener->ops->accept)
		return -EOPNOTSUPP;
	struct socket *child;
	bool nonblock = listener->file->flags & O_NONBLOCK;
	uint64_t deadline = nonblock ? 0 : socket_deadline(listener->rcvtimeo_ns);
	long err = socket_wait_result(listener->ops->accept(listener, &child, nonblock, deadline), deadline, -EAGAIN);
	if (err)
		return err;
	if (user_addr) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof addr;
		err = child->ops->getname(child, &addr, &len, true)
		          ? -ECONNABORTED
		          : sockaddr_to_user(&addr, len, user_addr, user_addrlen);
		if (err) {
			socket_free(child);
			return err;
		}
	}
	return socket_install(child, flags);
}

long sys_accept4(int fd, void *user_addr, socklen_t *user_addrlen, int flags)
{
	if (flags & ~SOCK_FLAGS)
		return -EINVAL;
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_accept_user(s, user_addr, user_addrlen, flags);
	socket_put(s);
	return ret;
}

long sys_accept(int fd, void *user_addr, socklen_t *user_addrlen)
{
	return sys_accept4(fd, user_addr, user_addrlen, 0);
}

long socket_connect_user(struct socket *s, const void *user_addr, int addrlen)
{
	struct sockaddr_storage addr;
	long ret = sockaddr_from_user(&addr, user_addr, addrlen);
	if (!ret && !s->ops->connect)
		ret = -EOPNOTSUPP;
	if (!ret) {
		bool nonblock = s->file->flags & O_NONBLOCK;
		uint64_t deadline = nonblock ? 0 : socket_deadline(s->sndtimeo_ns);
		ret = s->ops->connect(s, (struct sockaddr *)&addr, (socklen_t)addrlen, nonblock, deadline);
		ret = socket_wait_result(ret, deadline, -EINPROGRESS);
	}
	return ret;
}

long sys_connect(int fd, const void *user_addr, int addrlen)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	long ret = socket_connect_user(s, user_addr, addrlen);
	socket_put(s);
	return ret;
}

long sys_shutdown(int fd, int how)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	err = s->ops->shutdown ? s->ops->shutdown(s, how) : -EOPNOTSUPP;
	socket_put(s);
	return err;
}

static long get_name(int fd, void *user_addr, socklen_t *user_addrlen, bool peer)
{
	int err;
	struct socket *s = socket_get(fd, &err);
	if (!s)
		return err;
	struct sockaddr_storage addr = {0};
	socklen_t len = sizeof addr;
	err = s->ops->getname(s, &addr, &len, peer);
	if (!err)
		err = sockaddr_to_user(&addr, len, user_addr, user_addrlen);
	socket_put(s);
	return err;
}

long sys_getsockname(int fd, void *user_addr, socklen_t *user_addrlen)
{
	return get_name(fd, user_addr, user_addrlen, false);
}

long sys_getpeername(int fd, void *user_addr, socklen_t *user_addrlen)
{
	return get_name(fd, user_addr, user_addrlen, true);
}
