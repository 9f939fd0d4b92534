/* AF_UNIX records: SOCK_DGRAM (to a connected peer or any address) and
 * SOCK_SEQPACKET (to the connected peer) send whole messages; a receive
 * takes one, truncated to the buffer with MSG_TRUNC. A receiver that is
 * not connected back to its sender holds at most max_dgram_qlen of them. */
#include "kernel/net/unix.h"

#include "kernel/errno.h"
#include "kernel/net/scm.h"

/* The message as a chunk charged to the sender, once its SO_SNDBUF has
 * room, with the descriptors it carries. */
static long make_record(struct socket *s, struct socket_msg *m, struct unix_chunk **out)
{
	struct unix_sock *u = unix_of(s);
	size_t len = m->data.remaining;
	if (len > (size_t)s->sndbuf - 32)
		return -EMSGSIZE;
	struct scm_rights *rights;
	long err = unix_rights_from_msg(m, &rights);
	while (!err && u->wmem >= (size_t)s->sndbuf)
		err = unix_wait(&s->wait, m);
	if (!err && !(err = unix_chunk_from_msg(u, m, len, out)))
		(*out)->rights = rights;
	else
		scm_rights_free(rights);
	return err;
}

/* Linux's unix_dgram_disconnected: a datagram socket that loses its peer
 * drops what it received; the old peer, if it was connected back, learns
 * of the loss. */
static void disconnected(struct unix_sock *u, struct unix_sock *old)
{
	if (!u->head)
		return;
	unix_queue_purge(u);
	if (unix_alive(old) && old->peer == u) {
		old->socket->error = ECONNRESET;
		unix_notify(old, EPOLLERR);
	}
}

/* Queues c at other (held; released here): waits while other is full. A
 * dead other: a connected datagram socket disconnects (ECONNREFUSED), a
 * sequenced packet breaks (EPIPE). */
static long deliver(struct socket *s, struct socket_msg *m, struct unix_chunk *c, struct unix_sock *other)
{
	struct unix_sock *u = unix_of(s);
	long err = 0;
	for (;;) {
		if (!unix_alive(other)) {
			if (s->type == SOCK_SEQPACKET)
				err = -EPIPE;
			else if (u->peer == other) {
				u->peer = NULL;
				u->state = UNIX_UNCONNECTED;
				disconnected(u, other);
				unix_unref(other); /* the peer's hold */
				err = -ECONNREFUSED;
			} else
				err = -ECONNRESET;
			break;
		}
		if (other->shutdown & UNIX_RCV_SHUTDOWN) {
			err = -EPIPE;
			break;
		}
		if (other == u || other->peer == u || !unix_queue_full(other))
			break;
		if ((err = unix_wait(&other->peer_wait, m)))
			break;
	}
	if (!err)
		unix_queue_push(other, c);
	else
		unix_chunk_free(c);
	unix_unref(other);
	if (err == -EPIPE)
		m->flags |= MSG_NOSIGNAL; /* Linux raises no SIGPIPE for a record that cannot go */
	return err;
}

long unix_dgram_sendmsg(struct socket *s, struct socket_msg *m)
{
	struct unix_sock *u = unix_of(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	bool by_address = m->addr && m->addr_len;
	long err = s->passcred ? unix_autobind(u) : 0;
	struct unix_chunk *c;
	size_t len = m->data.remaining;
	if (err || (err = make_record(s, m, &c)))
		return err;
	struct unix_sock *other = u->peer;
	if (by_address)
		err = unix_lookup((struct sockaddr *)m->addr, m->addr_len, s->type, &other);
	else if (other)
		unix_ref(other);
	else
		err = -ENOTCONN;
	if (err) {
		unix_chunk_free(c);
		return err;
	}
	err = deliver(s, m, c, other);
	return err ? err : (long)len;
}

long unix_seqpacket_sendmsg(struct socket *s, struct socket_msg *m)
{
	struct unix_sock *u = unix_of(s);
	int pending = unix_take_error(u);
	if (pending)
		return -pending;
	if (u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	struct unix_chunk *c;
	size_t len = m->data.remaining;
	long err = make_record(s, m, &c);
	if (err)
		return err;
	unix_ref(u->peer);
	err = deliver(s, m, c, u->peer);
	return err ? err : (long)len;
}

long unix_record_recvmsg(struct socket *s, struct socket_msg *m)
{
	struct unix_sock *u = unix_of(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (s->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	size_t room = unix_control_room(m);
	for (;;) {
		int pending = unix_take_error(u);
		if (pending)
			return -pending;
		if (u->head)
			break;
		if (u->shutdown & UNIX_RCV_SHUTDOWN)
			return 0;
		long err = unix_wait(&s->wait, m);
		if (err)
			return err;
	}
	struct unix_chunk *c = u->head;
	size_t len = c->len, n = len < m->data.remaining ? len : m->data.remaining;
	if (n < len)
		m->out_flags |= MSG_TRUNC;
	unix_copy_sender(m, c);
	long err = io_iter_copy_to(&m->data, c->data, n);
	if (!err)
		unix_deliver_rights(m, room, c);
	if (!(m->flags & MSG_PEEK)) {
		bool was_full = unix_queue_full(u);
		unix_queue_drop_head(u);
		if (was_full)
			unix_dgram_room(u);
	}
	if (err)
		return err;
	return m->flags & MSG_TRUNC ? (long)len : (long)n;
}

/* connect on a datagram socket sets (or with AF_UNSPEC clears) the one
 * peer it sends to by default and receives from. */
int unix_connect_dgram(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock, uint64_t deadline)
{
	(void)nonblock, (void)deadline;
	struct unix_sock *u = unix_of(s);
	if (len < sizeof addr->sa_family)
		return -EINVAL;
	struct unix_sock *other = NULL;
	if (addr->sa_family != AF_UNSPEC) {
		int err = s->passcred ? unix_autobind(u) : 0;
		if (!err)
			err = unix_lookup(addr, len, s->type, &other);
		if (err)
			return err;
		u->state = other->state = UNIX_CONNECTED;
	}
	struct unix_sock *old = u->peer;
	u->peer = other;
	if (!other)
		u->state = UNIX_UNCONNECTED;
	if (old) {
		if (old != other) {
			disconnected(u, old);
			if (!old->peer)
				old->state = UNIX_UNCONNECTED;
		}
		unix_unref(old);
	}
	return 0;
}
