/* What the socket syscalls (socket_calls.c, socket_msg.c, sockopt.c) and
 * readv/writev (fs_io.c) share with the core in socket.c: making a socket
 * and its descriptor, finding the socket behind a descriptor, one send or
 * receive with Linux's timeouts and SIGPIPE, and socket addresses copied
 * to and from the app with Linux's length rules. Families use socket.h. */
#ifndef SOLE_SOCKET_CORE_H
#define SOLE_SOCKET_CORE_H

#include <sys/uio.h>

#include "kernel/net/socket.h"

/* Defaults as a Debian host has them (net.core.*mem_default, somaxconn). */
#define SOCKET_DEFAULT_BUFFER 212992
#define SOCKET_MAX_BUFFER 212992
#define SOCKET_MAX_BACKLOG 4096

/* A new socket of the domain (SOCK_NONBLOCK and SOCK_CLOEXEC already taken
 * out of type): 0 or -errno (-EAFNOSUPPORT for a domain sole lacks). */
int socket_create(int domain, int type, int protocol, struct socket **out);
/* socketpair's two sockets, joined by the family: 0 or -errno
 * (-EOPNOTSUPP for a family without pairs). */
int socket_create_pair(int domain, int type, int protocol, struct socket *pair[2]);
/* Gives s its file and a descriptor in the calling process (flags:
 * SOCK_NONBLOCK, SOCK_CLOEXEC): the descriptor, or -errno, in which case s
 * has been freed. */
int socket_install(struct socket *s, int flags);

/* The socket behind fd, held (its file referenced) until socket_put:
 * -EBADF or -ENOTSOCK in *err otherwise. */
struct socket *socket_get(int fd, int *err);
void socket_put(struct socket *s);

/* One sendmsg or recvmsg: fills m->nonblock and m->deadline from the file
 * and the socket's timeouts, calls the family, and turns what it returns
 * into what Linux returns (EAGAIN when a timeout passes, EINTR instead of a
 * restart when one is set, SIGPIPE for EPIPE unless MSG_NOSIGNAL). */
long socket_send(struct socket *s, struct socket_msg *m);
long socket_recv(struct socket *s, struct socket_msg *m);
/* read, write, readv and writev on a socket: one message over the whole
 * vector (iov already in the kernel, lengths checked; its buffers the
 * app's when user). */
long socket_transfer(struct socket *s, const struct iovec *iov, unsigned count, bool user, bool write);
/* The deadline of a blocking call under a SO_RCVTIMEO/SO_SNDTIMEO of
 * timeout_ns (0: none). */
uint64_t socket_deadline(uint64_t timeout_ns);
/* What a blocking connect or accept returns when the family ran out of time
 * or was interrupted, as Linux turns those. */
long socket_wait_result(long ret, uint64_t deadline, long timed_out);

/* accept4, connect, sendto, recvfrom, sendmsg and recvmsg on a socket
 * already looked up, for the callers that hold its file rather than a
 * descriptor (io_uring's requests). They block as the file's O_NONBLOCK
 * and the flags say. */
struct linux_msghdr;
long socket_accept_user(struct socket *listener, void *user_addr, socklen_t *user_addrlen, int flags);
long socket_connect_user(struct socket *s, const void *user_addr, int addrlen);
long socket_sendto_user(struct socket *s, const void *buf, size_t len, unsigned flags, const void *user_addr,
                        int addrlen);
long socket_recvfrom_user(struct socket *s, void *buf, size_t len, unsigned flags, void *user_addr,
                          socklen_t *user_addrlen);
long socket_sendmsg_user(struct socket *s, const struct linux_msghdr *user_msg, unsigned flags);
long socket_recvmsg_user(struct socket *s, struct linux_msghdr *user_msg, unsigned flags);

#endif
