/* AF_UNIX SOCK_STREAM data: a write is cut into chunks queued at the peer
 * (each charged to the writer's SO_SNDBUF until read, so a writer blocks
 * while a full buffer's worth waits), a read takes bytes across chunks up
 * to SO_RCVLOWAT or MSG_WAITALL, EOF after the peer shut down or closed,
 * EPIPE for writing to a peer that cannot read. */
#include "kernel/net/unix.h"

#include "kernel/errno.h"
#include "kernel/net/scm.h"

#define STREAM_CHUNK_MAX (32768 - 256) /* a chunk with its header stays in eight pages */

/* Linux keeps two chunks in flight per buffer, so the reader runs while
 * the writer fills the next. */
static size_t chunk_size(const struct socket *s, size_t left)
{
	size_t half = (size_t)s->sndbuf / 2 - 64;
	size_t size = left < half ? left : half;
	return size < STREAM_CHUNK_MAX ? size : STREAM_CHUNK_MAX;
}

long unix_stream_sendmsg(struct socket *s, struct socket_msg *m)
{
	struct unix_sock *u = unix_of(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->addr && m->addr_len)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	struct unix_sock *peer = u->peer;
	if (!peer)
		return -ENOTCONN;
	struct scm_rights *rights;
	long err = unix_rights_from_msg(m, &rights);
	if (err)
		return err;
	size_t len = m->data.remaining, sent = 0;
	if (u->shutdown & UNIX_SEND_SHUTDOWN)
		err = -EPIPE;
	while (!err && sent < len) {
		if (u->wmem >= (size_t)s->sndbuf) {
			err = unix_wait(&s->wait, m);
			if (!err && (u->shutdown & UNIX_SEND_SHUTDOWN))
				err = -EPIPE;
			continue;
		}
		struct unix_chunk *c;
		size_t size = chunk_size(s, len - sent);
		if ((err = unix_chunk_from_msg(u, m, size, &c)))
			break;
		if (!unix_alive(peer) || (peer->shutdown & UNIX_RCV_SHUTDOWN)) {
			unix_chunk_free(c);
			err = -EPIPE;
			break;
		}
		c->rights = rights; /* descriptors ride on the first chunk */
		rights = NULL;
		unix_queue_push(peer, c);
		sent += size;
	}
	scm_rights_free(rights);
	return sent ? (long)sent : err;
}

/* MSG_PEEK: copies from the queue as it stands, across chunks, without
 * taking anything; stops after a chunk that carries descriptors. */
static size_t peek(struct unix_sock *u, struct socket_msg *m, size_t room, long *err)
{
	size_t copied = 0;
	for (struct unix_chunk *c = u->head; c && m->data.remaining; c = c->next) {
		size_t n = c->len - c->consumed < m->data.remaining ? c->len - c->consumed : m->data.remaining;
		if (io_iter_copy_to(&m->data, c->data + c->consumed, n)) {
			*err = -EFAULT;
			break;
		}
		copied += n;
		if (c->rights) {
			unix_deliver_rights(m, room, c);
			break;
		}
	}
	return copied;
}

/* Takes bytes from the head chunk: false when the read must stop there
 * (the chunk is not used up, or it carried descriptors). */
static bool take(struct unix_sock *u, struct socket_msg *m, size_t room, size_t *copied, long *err)
{
	struct unix_chunk *c = u->head;
	size_t n = c->len - c->consumed < m->data.remaining ? c->len - c->consumed : m->data.remaining;
	if (io_iter_copy_to(&m->data, c->data + c->consumed, n)) {
		*err = -EFAULT;
		return false;
	}
	*copied += n;
	c->consumed += n;
	u->unread -= n;
	bool had_rights = c->rights != NULL;
	if (had_rights) {
		unix_deliver_rights(m, room, c);
		scm_rights_free(c->rights);
		c->rights = NULL;
	}
	if (c->consumed < c->len)
		return false;
	unix_queue_drop_head(u);
	return !had_rights && m->data.remaining;
}

long unix_stream_recvmsg(struct socket *s, struct socket_msg *m)
{
	struct unix_sock *u = unix_of(s);
	if (u->state != UNIX_CONNECTED)
		return -EINVAL;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	size_t room = unix_control_room(m);
	size_t want = m->data.remaining;
	size_t target = m->flags & MSG_WAITALL ? want : (size_t)s->rcvlowat < want ? (size_t)s->rcvlowat : want;
	if (!target)
		target = 1;
	size_t copied = 0;
	long err = 0;
	bool named = false;
	for (;;) {
		if (!u->head) {
			if (copied >= target || (err = -unix_take_error(u)) || (u->shutdown & UNIX_RCV_SHUTDOWN))
				break;
			if ((err = unix_wait(&s->wait, m)))
				break;
			continue;
		}
		if (!named) {
			unix_copy_sender(m, u->head);
			named = true;
		}
		if (m->flags & MSG_PEEK) {
			copied += peek(u, m, room, &err);
			break;
		}
		if (!take(u, m, room, &copied, &err))
			break;
	}
	return copied ? (long)copied : err;
}
