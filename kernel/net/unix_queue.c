/* AF_UNIX receive queues: chunks of sent data charged to their sender until
 * read, the sender's address for recvfrom, and the descriptors riding on
 * them. */
#include "kernel/net/unix.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/net/scm.h"

int unix_chunk_from_msg(struct unix_sock *sender, struct socket_msg *m, size_t len, struct unix_chunk **out)
{
	*out = NULL;
	struct unix_chunk *c = kmalloc(sizeof *c + (len ? len : 1));
	if (!c)
		return -ENOMEM;
	*c = (struct unix_chunk){.sender = sender, .len = len};
	if (io_iter_copy_from(c->data, &m->data, len)) {
		kfree(c);
		return -EFAULT;
	}
	unix_ref(sender);
	sender->wmem += len;
	*out = c;
	return 0;
}

void unix_chunk_free(struct unix_chunk *c)
{
	struct unix_sock *sender = c->sender;
	sender->wmem -= c->len;
	if (unix_alive(sender) && unix_writable(sender))
		socket_notify(sender->socket, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	scm_rights_free(c->rights);
	unix_unref(sender);
	kfree(c);
}

void unix_queue_push(struct unix_sock *u, struct unix_chunk *c)
{
	*(u->tail ? &u->tail->next : &u->head) = c;
	u->tail = c;
	u->queued++;
	u->unread += c->len;
	/* Every arrival, as Linux wakes: an edge-triggered watcher sees each. */
	unix_notify(u, EPOLLIN | EPOLLRDNORM);
}

void unix_queue_drop_head(struct unix_sock *u)
{
	struct unix_chunk *c = u->head;
	u->head = c->next;
	if (!u->head)
		u->tail = NULL;
	u->queued--;
	u->unread -= c->len - c->consumed;
	unix_chunk_free(c);
}

void unix_queue_purge(struct unix_sock *u)
{
	while (u->head)
		unix_queue_drop_head(u);
}

void unix_copy_sender(struct socket_msg *m, const struct unix_chunk *c)
{
	const struct unix_address *from = &c->sender->addr;
	if (!m->addr || !from->len)
		return;
	memcpy(m->addr, &from->sun, from->len);
	m->addr_len = from->len;
}

int unix_rights_from_msg(const struct socket_msg *m, struct scm_rights **out)
{
	return m->control_len ? scm_rights_from_control(m->control, m->control_len, out) : (*out = NULL, 0);
}

size_t unix_control_room(struct socket_msg *m)
{
	size_t room = m->control ? m->control_len : 0;
	m->control_len = 0;
	return room;
}

void unix_deliver_rights(struct socket_msg *m, size_t room, const struct unix_chunk *c)
{
	if (c->rights)
		scm_rights_deliver(m, room, c->rights);
}
