/* Sockets: the kernel's socket layer. The core (socket.c and the syscalls
 * beside it) owns the file, the descriptor, the copies to and from the app,
 * the SOL_SOCKET options every family shares, SIGPIPE, and the readiness
 * queue. A family (AF_UNIX in unix_*.c, AF_INET and AF_INET6 over lwIP in
 * inet_*.c) supplies the protocol through struct socket_ops.
 *
 * Addresses and option values reach a family already copied into the
 * kernel; data moves through an io_iter that may walk the app's memory.
 * A family blocks by itself (readiness_wait on s->wait) unless told
 * nonblock, and wakes readers, writers, poll and epoll with
 * socket_notify. */
#ifndef SOLE_SOCKET_H
#define SOLE_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/socket.h>
#include <sys/socket.h>

#include "kernel/mm/io_iter.h"
#include "kernel/sched/wait.h"

struct file;
struct socket;

/* One sendmsg or recvmsg as a family sees it. */
struct socket_msg {
	struct io_iter data;
	/* send: the destination (NULL for none); recv: where the source goes
	 * (NULL when the app did not ask), addr_len set to its true length. */
	struct sockaddr_storage *addr;
	socklen_t addr_len;
	/* Ancillary data in a kernel buffer: send gives it, recv fills up to
	 * control_len and sets control_len to what it wrote (0 for none). */
	void *control;
	size_t control_len;
	int flags;         /* MSG_* of the call */
	int out_flags;     /* recv: MSG_TRUNC, MSG_CTRUNC, ... for msg_flags */
	bool nonblock;     /* O_NONBLOCK on the file or MSG_DONTWAIT */
	uint64_t deadline; /* SO_RCVTIMEO or SO_SNDTIMEO as a monotonic deadline, 0 for none */
};

struct socket_ops {
	int (*bind)(struct socket *s, const struct sockaddr *addr, socklen_t len);
	int (*listen)(struct socket *s, int backlog);
	/* A connection from the queue as a new socket (made with socket_alloc);
	 * blocks unless nonblock. */
	int (*accept)(struct socket *s, struct socket **child, bool nonblock, uint64_t deadline);
	/* -EINPROGRESS when nonblock and the connection is not made yet. */
	int (*connect)(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock, uint64_t deadline);
	/* Bytes sent or received, or -errno (-EPIPE: the core raises SIGPIPE
	 * unless MSG_NOSIGNAL). A stream returns a short count rather than an
	 * error once some bytes moved. */
	long (*sendmsg)(struct socket *s, struct socket_msg *m);
	long (*recvmsg)(struct socket *s, struct socket_msg *m);
	int (*shutdown)(struct socket *s, int how); /* SHUT_RD, SHUT_WR, SHUT_RDWR */
	/* The local (peer false) or remote address; -ENOTCONN for a peer it has not. */
	int (*getname)(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer);
	/* Options: every level but SOL_SOCKET, and at SOL_SOCKET what the core
	 * does not answer by itself (see socket.c). After the core stores a
	 * SOL_SOCKET option it also calls setsockopt with it, so the family can
	 * apply it (a family returns 0 or -ENOPROTOOPT for SOL_SOCKET options it
	 * has no use for: the core then answers 0 for the ones it stored).
	 * Unknown options: -ENOPROTOOPT, as Linux answers. value is a kernel copy;
	 * getsockopt gets *len bytes of room and sets *len. */
	int (*setsockopt)(struct socket *s, int level, int name, const void *value, socklen_t len);
	int (*getsockopt)(struct socket *s, int level, int name, void *value, socklen_t *len);
	/* The EPOLL* events that hold now. */
	unsigned (*poll)(struct socket *s);
	/* FIONREAD/SIOCINQ, SIOCOUTQ, ...: -ENOTTY for what it does not know. */
	int (*ioctl)(struct socket *s, unsigned cmd, unsigned long arg);
	/* The socket is going away (its file's last close, or an accept queue
	 * dropped): free the protocol state. s itself is freed by the core. */
	void (*release)(struct socket *s);
};

struct socket {
	const struct socket_ops *ops;
	struct file *file;          /* NULL until installed (a child waiting in an accept queue) */
	int domain, type, protocol; /* type without SOCK_NONBLOCK/SOCK_CLOEXEC */
	struct wait_queue wait;     /* readiness: socket_notify wakes it */
	int error;                  /* a pending error for SO_ERROR (positive errno), 0 for none */
	bool listening;             /* SO_ACCEPTCONN */
	/* SOL_SOCKET options, stored by the core. */
	bool reuseaddr, reuseport, keepalive, broadcast, oobinline, passcred;
	bool linger_on;
	int linger_seconds;
	int rcvbuf, sndbuf; /* what getsockopt reports (Linux doubles what is set) */
	int rcvlowat;
	uint64_t rcvtimeo_ns, sndtimeo_ns; /* 0 for none */
	int priority;                      /* SO_PRIORITY */
	uint32_t mark;                     /* SO_MARK */
	void *proto;                       /* the family's state */
};

/* SO_PEERCRED's answer: Linux's struct ucred. */
struct socket_peer_cred {
	int32_t pid;
	uint32_t uid, gid;
};

struct socket_family {
	int domain;
	/* Sets s->ops and s->proto for a new socket (s->type and s->protocol
	 * already set): 0, -EPROTONOSUPPORT, -ESOCKTNOSUPPORT, -ENOMEM, ... */
	int (*create)(struct socket *s);
	/* socketpair: both already created; NULL when the family has none
	 * (socketpair gives -EOPNOTSUPP). */
	int (*pair)(struct socket *a, struct socket *b);
};

extern const struct socket_family unix_socket_family;
extern const struct socket_family inet_socket_family;  /* AF_INET */
extern const struct socket_family inet6_socket_family; /* AF_INET6 */

/* For families. */

/* A socket of the same domain, type and protocol as like, with the core's
 * defaults and like's ops, not yet in any file (accept's child). */
struct socket *socket_alloc_like(const struct socket *like);
/* Gives child the core-stored SOL_SOCKET options of the listener it was
 * accepted from, as Linux's clone of a listening TCP socket does. */
void socket_inherit_options(struct socket *child, const struct socket *listener);
/* Frees a socket that never got a file (an accept queue dropped): calls
 * ops->release, then frees it. */
void socket_free(struct socket *s);
/* Wakes readers, writers, poll and epoll waiting on s for events. */
void socket_notify(struct socket *s, unsigned events);
/* The socket a file stands for, or NULL when f is not a socket. */
struct socket *socket_from_file(struct file *f);

#endif
