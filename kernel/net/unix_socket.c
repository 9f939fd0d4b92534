/* The AF_UNIX family: making its sockets (socket, socketpair), their
 * lifetime, and what the three types share: readiness, shutdown, ioctl,
 * options and SO_PEERCRED. */
#include "kernel/net/unix.h"

#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

static struct unix_sock *live_head;

void unix_ref(struct unix_sock *u) { u->refs++; }

void unix_unref(struct unix_sock *u)
{
	if (--u->refs == 0)
		kfree(u);
}

struct unix_sock *unix_find_live(bool (*match)(const struct unix_sock *u, const void *key), const void *key)
{
	for (struct unix_sock *u = live_head; u; u = u->next_live)
		if (match(u, key))
			return u;
	return NULL;
}

bool unix_writable(const struct unix_sock *u)
{
	return u->state != UNIX_LISTENING && u->wmem * 4 <= (size_t)u->socket->sndbuf;
}

void unix_notify(struct unix_sock *u, unsigned events)
{
	if (unix_alive(u))
		socket_notify(u->socket, events);
}

void unix_dgram_room(struct unix_sock *u)
{
	readiness_notify(&u->peer_wait, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	for (struct unix_sock *sender = live_head; sender; sender = sender->next_live)
		if (sender->peer == u && u->peer != sender && unix_writable(sender))
			socket_notify(sender->socket, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
}

void unix_join(struct unix_sock *a, struct unix_sock *b)
{
	unix_ref(b);
	a->peer = b;
	unix_ref(a);
	b->peer = a;
	a->state = b->state = UNIX_CONNECTED;
}

void unix_set_peer_cred_caller(struct unix_sock *u)
{
	const struct process *p = current_process();
	u->peer_cred = (struct socket_peer_cred){p->pid, p->cred.euid, p->cred.egid};
	u->has_peer_cred = true;
}

int unix_take_error(struct unix_sock *u)
{
	int err = u->socket->error;
	u->socket->error = 0;
	return err;
}

long unix_wait(struct wait_queue *q, const struct socket_msg *m)
{
	return m->nonblock ? -EAGAIN : readiness_wait(q, m->deadline);
}

static unsigned unix_poll(struct socket *s)
{
	struct unix_sock *u = unix_of(s);
	unsigned events = 0;
	if (s->error)
		events |= EPOLLERR;
	if (u->shutdown == UNIX_SHUTDOWN_BOTH)
		events |= EPOLLHUP;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		events |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (u->head || u->pending_head)
		events |= EPOLLIN | EPOLLRDNORM;
	/* A connection-oriented socket not connected (yet, or any more) hangs up. */
	if (s->type != SOCK_DGRAM && u->state == UNIX_UNCONNECTED)
		events |= EPOLLHUP;
	bool writable = unix_writable(u);
	/* A datagram sender waits for room in a receiver that is not connected back. */
	if (s->type != SOCK_STREAM && u->peer && u->peer->peer != u && unix_queue_full(u->peer))
		writable = false;
	if (writable)
		events |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	return events;
}

/* SHUT_RD, SHUT_WR, SHUT_RDWR map to 1, 2, 3; a connected peer of a
 * connection-oriented socket gets the mirror image. */
static int unix_shutdown(struct socket *s, int how)
{
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	struct unix_sock *u = unix_of(s);
	int mode = how + 1;
	u->shutdown |= mode;
	socket_notify(s, ~0u);
	struct unix_sock *peer = u->peer;
	if (peer && s->type != SOCK_DGRAM) {
		if (mode & UNIX_RCV_SHUTDOWN)
			peer->shutdown |= UNIX_SEND_SHUTDOWN;
		if (mode & UNIX_SEND_SHUTDOWN)
			peer->shutdown |= UNIX_RCV_SHUTDOWN;
		unix_notify(peer, ~0u);
	}
	return 0;
}

static int unix_ioctl(struct socket *s, unsigned cmd, unsigned long arg)
{
	struct unix_sock *u = unix_of(s);
	int amount;
	switch (cmd) {
	case SIOCINQ:
		if (u->state == UNIX_LISTENING)
			return -EINVAL;
		/* A datagram socket reports its next datagram, the others all they hold. */
		amount = (int)(s->type == SOCK_DGRAM ? (u->head ? u->head->len : 0) : u->unread);
		break;
	case SIOCOUTQ:
		amount = (int)u->wmem;
		break;
	default:
		return -ENOTTY;
	}
	return copy_to_user((void *)arg, &amount, sizeof amount) ? -EFAULT : 0;
}

static int unix_setsockopt(struct socket *s, int level, int name, const void *value, socklen_t len)
{
	(void)value, (void)len;
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if ((name == SO_SNDBUF || name == SO_SNDBUFFORCE) && unix_writable(unix_of(s)))
		socket_notify(s, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	return -ENOPROTOOPT;
}

static int unix_getsockopt(struct socket *s, int level, int name, void *value, socklen_t *len)
{
	const struct unix_sock *u = unix_of(s);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name != SO_PEERCRED || !u->has_peer_cred)
		return -ENOPROTOOPT;
	memcpy(value, &u->peer_cred, sizeof u->peer_cred < *len ? sizeof u->peer_cred : *len);
	*len = sizeof u->peer_cred;
	return 0;
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = unix_of(s);
	bool embryo = !s->file; /* a connection nobody accepted */
	bool unread = u->head != NULL;
	*(u->prev_live ? &u->prev_live->next_live : &live_head) = u->next_live;
	if (u->next_live)
		u->next_live->prev_live = u->prev_live;
	u->socket = NULL;
	u->shutdown = UNIX_SHUTDOWN_BOTH;
	readiness_notify(&u->peer_wait, ~0u);
	struct unix_sock *peer = u->peer;
	u->peer = NULL;
	if (peer) {
		if (s->type != SOCK_DGRAM) {
			peer->shutdown = UNIX_SHUTDOWN_BOTH;
			if ((unread || embryo) && unix_alive(peer))
				peer->socket->error = ECONNRESET;
			unix_notify(peer, ~0u);
		}
		unix_unref(peer);
	}
	unix_drop_pending(u);
	unix_queue_purge(u);
	unix_unbind(u);
	unix_unref(u);
}

static const struct socket_ops unix_stream_ops = {
    .bind = unix_bind,
    .listen = unix_listen,
    .accept = unix_accept,
    .connect = unix_connect_stream,
    .sendmsg = unix_stream_sendmsg,
    .recvmsg = unix_stream_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .setsockopt = unix_setsockopt,
    .getsockopt = unix_getsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
    .release = unix_release,
};

static const struct socket_ops unix_seqpacket_ops = {
    .bind = unix_bind,
    .listen = unix_listen,
    .accept = unix_accept,
    .connect = unix_connect_stream,
    .sendmsg = unix_seqpacket_sendmsg,
    .recvmsg = unix_record_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .setsockopt = unix_setsockopt,
    .getsockopt = unix_getsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
    .release = unix_release,
};

/* Datagram sockets neither listen nor accept: the core answers EOPNOTSUPP. */
static const struct socket_ops unix_dgram_ops = {
    .bind = unix_bind,
    .connect = unix_connect_dgram,
    .sendmsg = unix_dgram_sendmsg,
    .recvmsg = unix_record_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .setsockopt = unix_setsockopt,
    .getsockopt = unix_getsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
    .release = unix_release,
};

struct unix_sock *unix_sock_new(void)
{
	struct unix_sock *u = kzalloc(sizeof *u);
	if (u) {
		u->refs = 1;
		u->max_backlog = UNIX_MAX_DGRAM_QLEN;
	}
	return u;
}

void unix_attach(struct socket *s, struct unix_sock *u)
{
	u->socket = s;
	u->next_live = live_head;
	if (live_head)
		live_head->prev_live = u;
	live_head = u;
	s->ops = s->type == SOCK_STREAM      ? &unix_stream_ops
	         : s->type == SOCK_SEQPACKET ? &unix_seqpacket_ops
	                                     : &unix_dgram_ops;
	s->proto = u;
}

static int unix_create(struct socket *s)
{
	if (s->protocol && s->protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	s->protocol = 0; /* Linux reports 0 for SO_PROTOCOL whatever was asked */
	switch (s->type) {
	case SOCK_RAW:
		s->type = SOCK_DGRAM; /* as Linux: BSD had it, nothing uses it */
		break;
	case SOCK_STREAM:
	case SOCK_DGRAM:
	case SOCK_SEQPACKET:
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	struct unix_sock *u = unix_sock_new();
	if (!u)
		return -ENOMEM;
	unix_attach(s, u);
	return 0;
}

static int unix_pair(struct socket *a, struct socket *b)
{
	unix_join(unix_of(a), unix_of(b));
	unix_set_peer_cred_caller(unix_of(a));
	unix_set_peer_cred_caller(unix_of(b));
	return 0;
}

const struct socket_family unix_socket_family = {.domain = AF_UNIX, .create = unix_create, .pair = unix_pair};
