/* AF_UNIX internals shared by unix_*.c: the per-socket state, the receive
 * queue of chunks, addresses, and the operations the socket types share.
 * SOCK_STREAM moves bytes (unix_stream.c), SOCK_DGRAM and SOCK_SEQPACKET
 * move records (unix_dgram.c); STREAM and SEQPACKET connect through a
 * listener (unix_connect.c). */
#ifndef SOLE_UNIX_H
#define SOLE_UNIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/eventpoll.h>
#include <sys/un.h>

#include "kernel/net/socket.h"

struct scm_rights;
struct inode;

#define UNIX_RCV_SHUTDOWN 1 /* shutdown(SHUT_RD) here, or SHUT_WR at the peer */
#define UNIX_SEND_SHUTDOWN 2
#define UNIX_SHUTDOWN_BOTH 3
#define UNIX_MAX_DGRAM_QLEN 10 /* net.unix.max_dgram_qlen */

/* A bound name: len 0 for none; else the sockaddr_un bytes Linux reports
 * (a path's length counts its NUL, an abstract name's does not). */
struct unix_address {
	socklen_t len;
	struct sockaddr_un sun;
};

/* One unit of a receive queue: a datagram or record, or a piece of a
 * stream write. */
struct unix_chunk {
	struct unix_chunk *next;
	struct unix_sock *sender;  /* held; its wmem counts len until the chunk goes */
	struct scm_rights *rights; /* descriptors riding on it, or NULL */
	size_t len, consumed;      /* consumed: what a stream read already took */
	uint8_t data[];
};

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTENING, UNIX_CONNECTED };

struct unix_sock {
	struct socket *socket; /* NULL once released; chunks and peers may outlive it */
	int refs;
	enum unix_state state;
	int shutdown;           /* UNIX_RCV_SHUTDOWN | UNIX_SEND_SHUTDOWN */
	/* SO_PEERCRED, as Linux sets it: a listener and both ends of a pair
	 * hold their own process, a connection's accepted end its connector,
	 * and the connector the listener's. */
	bool has_peer_cred;
	struct socket_peer_cred peer_cred;
	struct unix_sock *peer; /* held */
	struct unix_address addr;
	struct inode *node;             /* the S_IFSOCK name a path bind made (held) */
	struct unix_chunk *head, *tail; /* received data */
	size_t queued;                  /* chunks in the queue */
	size_t unread;                  /* bytes in the queue not yet read */
	size_t wmem;                    /* bytes this socket sent that wait in some queue */
	/* Listening: connections not yet accepted (their unix_sock, linked by
	 * next_pending). max_backlog bounds them, and for a datagram receiver
	 * its queue (net.unix.max_dgram_qlen). */
	struct unix_sock *pending_head, *pending_tail, *next_pending;
	size_t pending;
	int max_backlog;
	/* Senders waiting for room in this socket's queue, connectors for room
	 * in its backlog. */
	struct wait_queue peer_wait;
	struct unix_sock *next_live, *prev_live; /* every unix_sock that has a socket */
};

static inline struct unix_sock *unix_of(const struct socket *s) { return s->proto; }
static inline bool unix_alive(const struct unix_sock *u) { return u->socket != NULL; }
/* Linux's unix_recvq_full: more waiting than the backlog allows. */
static inline bool unix_queue_full(const struct unix_sock *u)
{
	return (u->state == UNIX_LISTENING ? u->pending : u->queued) > (size_t)u->max_backlog;
}

/* unix_socket.c: lifetime, and what every type shares. */
/* A new unix_sock, held once, not yet any socket's. */
struct unix_sock *unix_sock_new(void);
/* Makes s an AF_UNIX socket of its type over u: sets s->ops and s->proto. */
void unix_attach(struct socket *s, struct unix_sock *u);
void unix_ref(struct unix_sock *u);
void unix_unref(struct unix_sock *u);
/* The first live socket that matches (the abstract namespace). */
struct unix_sock *unix_find_live(bool (*match)(const struct unix_sock *u, const void *key), const void *key);
/* Linux's unix_writable: room for more of what this socket sends. */
bool unix_writable(const struct unix_sock *u);
/* A receiver took a record off a queue that was full: wakes its senders. */
void unix_dgram_room(struct unix_sock *u);
/* Wakes u's socket (if it still has one) for events. */
void unix_notify(struct unix_sock *u, unsigned events);
/* Joins a and b back to back, both connected. */
void unix_join(struct unix_sock *a, struct unix_sock *b);
/* Gives u the calling process's credentials for SO_PEERCRED. */
void unix_set_peer_cred_caller(struct unix_sock *u);
/* The pending error (SO_ERROR), taken: 0 for none. */
int unix_take_error(struct unix_sock *u);
/* Waits on q for a change (nonblock: -EAGAIN at once): 0 or -errno. */
long unix_wait(struct wait_queue *q, const struct socket_msg *m);

/* unix_queue.c: the receive queue. */
/* A chunk of len bytes charged to sender, its data copied from m->data;
 * NULL in *out and -ENOMEM or -EFAULT. */
int unix_chunk_from_msg(struct unix_sock *sender, struct socket_msg *m, size_t len, struct unix_chunk **out);
void unix_chunk_free(struct unix_chunk *c);
void unix_queue_push(struct unix_sock *u, struct unix_chunk *c);
/* Takes the head chunk off u's queue and frees it. */
void unix_queue_drop_head(struct unix_sock *u);
void unix_queue_purge(struct unix_sock *u);
/* Fills m->addr with the sender's address when the app asked for it. */
void unix_copy_sender(struct socket_msg *m, const struct unix_chunk *c);
/* Ancillary data of a send: the SCM_RIGHTS it carries (NULL for none). */
int unix_rights_from_msg(const struct socket_msg *m, struct scm_rights **out);
/* Delivers c's descriptors into m (room: the ancillary room the app gave). */
void unix_deliver_rights(struct socket_msg *m, size_t room, const struct unix_chunk *c);
/* The ancillary room a receive has, and m->control_len cleared for the answer. */
size_t unix_control_room(struct socket_msg *m);

/* unix_address.c: names. */
int unix_bind(struct socket *s, const struct sockaddr *addr, socklen_t len);
/* Gives u an abstract name of five hex digits, as Linux's autobind. */
int unix_autobind(struct unix_sock *u);
/* The live socket of type that addr names, held: or -EINVAL (malformed),
 * -ENOENT, -ECONNREFUSED (nobody there), -EPROTOTYPE (another type). */
int unix_lookup(const struct sockaddr *addr, socklen_t len, int type, struct unix_sock **out);
/* Gives up u's name (at release). */
void unix_unbind(struct unix_sock *u);
int unix_getname(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer);

/* unix_connect.c: listen, accept and connect for STREAM and SEQPACKET. */
int unix_listen(struct socket *s, int backlog);
int unix_accept(struct socket *s, struct socket **child, bool nonblock, uint64_t deadline);
int unix_connect_stream(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock, uint64_t deadline);
/* Drops connections nobody accepted (a listener's release). */
void unix_drop_pending(struct unix_sock *u);

/* unix_stream.c and unix_dgram.c: data. */
long unix_stream_sendmsg(struct socket *s, struct socket_msg *m);
long unix_stream_recvmsg(struct socket *s, struct socket_msg *m);
long unix_dgram_sendmsg(struct socket *s, struct socket_msg *m);
long unix_seqpacket_sendmsg(struct socket *s, struct socket_msg *m);
long unix_record_recvmsg(struct socket *s, struct socket_msg *m);
int unix_connect_dgram(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock, uint64_t deadline);

#endif
