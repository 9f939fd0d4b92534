/* AF_UNIX connections (SOCK_STREAM and SOCK_SEQPACKET): listen, connect
 * and accept. A connect that finds room in the listener's backlog completes
 * at once, as on Linux: a new socket joined to the caller waits in the
 * listener's queue (data sent meanwhile waits in it) until accept takes it. */
#include "kernel/net/unix.h"

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"

int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = unix_of(s);
	if (!u->addr.len)
		return -EINVAL; /* nobody could find it */
	if (u->state == UNIX_CONNECTED)
		return -EINVAL;
	if (backlog > u->max_backlog)
		readiness_notify(&u->peer_wait, EPOLLOUT); /* room for waiting connectors */
	u->max_backlog = backlog;
	u->state = UNIX_LISTENING;
	unix_set_peer_cred_caller(u);
	return 0;
}

int unix_accept(struct socket *s, struct socket **child, bool nonblock, uint64_t deadline)
{
	struct unix_sock *u = unix_of(s);
	if (u->state != UNIX_LISTENING)
		return -EINVAL;
	while (!u->pending_head) {
		if (u->shutdown & UNIX_RCV_SHUTDOWN)
			return -EINVAL;
		if (nonblock)
			return -EAGAIN;
		long err = readiness_wait(&s->wait, deadline);
		if (err)
			return (int)err;
	}
	struct unix_sock *taken = u->pending_head;
	u->pending_head = taken->next_pending;
	if (!u->pending_head)
		u->pending_tail = NULL;
	u->pending--;
	readiness_notify(&u->peer_wait, EPOLLOUT);
	*child = taken->socket;
	return 0;
}

void unix_drop_pending(struct unix_sock *u)
{
	while (u->pending_head) {
		struct unix_sock *embryo = u->pending_head;
		u->pending_head = embryo->next_pending;
		socket_free(embryo->socket);
	}
	u->pending_tail = NULL;
	u->pending = 0;
}

/* The new socket on the listener's side: joined to u, named as the
 * listener, queued for accept. */
static int queue_connection(struct unix_sock *u, struct unix_sock *listener)
{
	struct unix_sock *cu = unix_sock_new();
	struct socket *child = cu ? socket_alloc_like(listener->socket) : NULL;
	if (!child) {
		kfree(cu);
		return -ENOMEM;
	}
	unix_attach(child, cu);
	cu->addr = listener->addr;
	unix_join(u, cu);
	unix_set_peer_cred_caller(cu);
	u->peer_cred = listener->peer_cred;
	u->has_peer_cred = true;
	*(listener->pending_tail ? &listener->pending_tail->next_pending : &listener->pending_head) = cu;
	listener->pending_tail = cu;
	listener->pending++;
	unix_notify(listener, EPOLLIN | EPOLLRDNORM);
	return 0;
}

/* One try: 0 when connected, -EAGAIN when the backlog is full. */
static int try_connect(struct unix_sock *u, struct unix_sock *listener)
{
	if (listener->state != UNIX_LISTENING || (listener->shutdown & UNIX_RCV_SHUTDOWN))
		return -ECONNREFUSED;
	if (unix_queue_full(listener))
		return -EAGAIN;
	if (u->state != UNIX_UNCONNECTED)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EINVAL;
	return queue_connection(u, listener);
}

int unix_connect_stream(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock, uint64_t deadline)
{
	struct unix_sock *u = unix_of(s);
	int err = s->passcred ? unix_autobind(u) : 0;
	for (;;) {
		struct unix_sock *listener;
		if (!err)
			err = unix_lookup(addr, len, s->type, &listener);
		if (err)
			return err;
		err = try_connect(u, listener);
		if (err == -EAGAIN && !nonblock) {
			/* Linux answers EAGAIN, not EINPROGRESS, when SO_SNDTIMEO runs out. */
			long waited = readiness_wait(&listener->peer_wait, deadline);
			err = waited == -ETIMEDOUT ? -EAGAIN : (int)waited;
			unix_unref(listener);
			if (err)
				return err;
			continue; /* look again: the listener may be gone */
		}
		unix_unref(listener);
		return err;
	}
}
