/* TCP sockets (SOCK_STREAM over AF_INET and AF_INET6) on lwIP's raw API.
 *
 * Received data waits in the socket as lwIP handed it over (pbufs linked
 * one after another) and is copied straight into the app's buffers; the
 * window opens by what the app reads. Sent data is copied from the app
 * into a bounce buffer, then into lwIP's segments by tcp_write (lwIP
 * cannot take the app's memory itself: it would fault outside a checked
 * copy). A listener keeps its established connections as child sockets
 * until accept takes them, counted in lwIP's backlog until then.
 *
 * Once both directions are finished (FIN sent and received), or the app
 * closes the socket, the pcb is lwIP's alone: the socket forgets it, since
 * lwIP frees pcbs in TIME_WAIT without telling anyone. A pcb lwIP frees on
 * an error reaches tcp_on_error, which forgets it too. */
#include <asm/ioctls.h>
#include <linux/eventpoll.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "lwip/tcp.h"
#include "kernel/fs/readiness.h"
#include "kernel/net/inet.h"

/* Linux's limits and defaults (include/net/tcp.h). */
#define TCP_KEEPIDLE_DEFAULT_S 7200
#define TCP_KEEPINTVL_DEFAULT_S 75
#define TCP_KEEPCNT_DEFAULT 9
#define TCP_KEEPIDLE_MAX_S 32767
#define TCP_KEEPINTVL_MAX_S 32767
#define TCP_KEEPCNT_MAX 127
#define TCP_MSS_MIN 88
#define TCP_MSS_MAX 32767
#define TCP_MSS_UNCONNECTED 536  /* TCP_MSS_DEFAULT: what TCP_MAXSEG says before a connection */
#define LWIP_BACKLOG_MAX 255     /* lwIP counts its backlog in 8 bits */
#define LWIP_SLOW_TICK_US 500000 /* lwIP's rto is in ticks of TCP_SLOW_INTERVAL */
#define MS_PER_S 1000

enum tcp_phase {
	TCP_PHASE_CLOSED, /* new, bound, or its connection failed, reset or dropped */
	TCP_PHASE_LISTEN,
	TCP_PHASE_CONNECTING,
	TCP_PHASE_CONNECTED, /* established; it may have been shut down since */
};

struct inet_tcp {
	struct inet_sock inet;
	enum tcp_phase phase;
	bool bound;              /* bind(2) chose the local address: a new pcb gets it again */
	bool connect_unreported; /* a connect(2) ended unseen: the next connect(2) reports it */
	bool want_write;         /* a send or poll found no room: EPOLLOUT when there is */
	/* IPPROTO_TCP options. */
	bool nodelay, cork, quickack;
	int keepidle_s, keepintvl_s, keepcnt;
	int maxseg, defer_accept_s, fastopen_queue; /* stored: lwIP has no use for them */
	/* Received bytes not read yet: pbufs linked through next; the first
	 * one's payload starts at the first unread byte. */
	struct pbuf *recv_head, *recv_tail;
	size_t recv_bytes;
	/* A listener's connections not accepted yet, oldest first. */
	struct inet_tcp *accept_head, *accept_tail;
	struct inet_tcp *accept_next;
	/* The local address, for getsockname once the pcb is gone (and for a
	 * new pcb of a bound socket). */
	ip_addr_t local_ip;
	uint16_t local_port;
};

static const struct socket_ops tcp_ops;

/* Sends copy through here: one thread at a time runs in the kernel, and
 * nothing blocks between filling it and tcp_write emptying it. */
static uint8_t send_bounce[32768];

static struct inet_tcp *tcp_of(const struct socket *s) { return s->proto; }

static void tcp_cache_name(struct inet_tcp *t)
{
	ip_addr_copy(t->local_ip, t->inet.pcb.tcp->local_ip);
	t->local_port = t->inet.pcb.tcp->local_port;
}

/* EPOLLOUT as lwIP's own socket layer judges it: room above a low-water
 * mark, so that a writer wakes for a good amount at a time. */
static bool tcp_writable(const struct tcp_pcb *pcb)
{
	return tcp_sndbuf(pcb) > TCP_SNDLOWAT && tcp_sndqueuelen(pcb) < TCP_SNDQUEUELOWAT;
}

/* How many bytes one tcp_write may take now: what the send buffer has
 * room for, and no more segments than lwIP's queue holds. */
static size_t tcp_send_room(const struct tcp_pcb *pcb)
{
	size_t segments = TCP_SND_QUEUELEN - 1 > tcp_sndqueuelen(pcb) ? TCP_SND_QUEUELEN - 1 - tcp_sndqueuelen(pcb) : 0;
	size_t by_queue = segments * tcp_mss(pcb);
	return tcp_sndbuf(pcb) < by_queue ? tcp_sndbuf(pcb) : by_queue;
}

static void tcp_apply_options(struct inet_tcp *t)
{
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	if (!pcb || pcb->state == LISTEN)
		return; /* a listener's children get the options from its state */
	if (t->nodelay)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
	pcb->keep_idle = (u32_t)t->keepidle_s * MS_PER_S;
	pcb->keep_intvl = (u32_t)t->keepintvl_s * MS_PER_S;
	pcb->keep_cnt = (u32_t)t->keepcnt;
}

/* Sends what lwIP has queued and delivers it when it is for ourselves. */
static void tcp_push(struct inet_tcp *t)
{
	if (t->inet.pcb.tcp && t->phase == TCP_PHASE_CONNECTED) /* never a listener's pcb */
		tcp_output(t->inet.pcb.tcp);
	inet_deliver();
}

/* The receive queue. */

static void recv_queue_append(struct inet_tcp *t, struct pbuf *p)
{
	t->recv_bytes += p->tot_len;
	if (t->recv_tail)
		t->recv_tail->next = p; /* the queue owns p's reference from now on */
	else
		t->recv_head = p;
	while (p->next)
		p = p->next;
	t->recv_tail = p;
}

/* Drops n read bytes from the front and opens the window by as much. */
static void recv_queue_consume(struct inet_tcp *t, size_t n)
{
	t->recv_bytes -= n;
	for (size_t left = n; left;) {
		struct pbuf *p = t->recv_head;
		if (left < p->len) {
			pbuf_remove_header(p, left);
			break;
		}
		left -= p->len;
		t->recv_head = p->next;
		if (!t->recv_head)
			t->recv_tail = NULL;
		p->next = NULL; /* free p alone */
		pbuf_free(p);
	}
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	for (size_t left = n; pcb && left;) {
		u16_t chunk = left > UINT16_MAX ? UINT16_MAX : (u16_t)left;
		tcp_recved(pcb, chunk);
		left -= chunk;
	}
}

static void recv_queue_free(struct inet_tcp *t)
{
	if (t->recv_head)
		pbuf_free(t->recv_head);
	t->recv_head = t->recv_tail = NULL;
	t->recv_bytes = 0;
}

/* lwIP's callbacks. */

static err_t tcp_on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err);
static err_t tcp_on_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void tcp_on_error(void *arg, err_t err);

static void tcp_attach(struct inet_tcp *t)
{
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	tcp_arg(pcb, t);
	tcp_recv(pcb, tcp_on_recv);
	tcp_sent(pcb, tcp_on_sent);
	tcp_err(pcb, tcp_on_error);
}

/* Takes the pcb from the socket, its callbacks cleared: the caller closes
 * or aborts it, or lwIP carries on alone. */
static struct tcp_pcb *tcp_detach(struct inet_tcp *t)
{
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	tcp_cache_name(t);
	tcp_arg(pcb, NULL);
	if (pcb->state != LISTEN) {
		tcp_backlog_accepted(pcb); /* a connection never accepted frees its place */
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
	}
	t->inet.pcb.tcp = NULL;
	return pcb;
}

/* Closes a detached pcb: a FIN where one is due, a reset when lwIP cannot
 * queue it. */
static void tcp_close_pcb(struct tcp_pcb *pcb)
{
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

/* Whether our FIN has gone out: tcp_close then only marks the pcb, never
 * frees it (so it is safe inside lwIP's callbacks). */
static bool tcp_fin_sent(const struct tcp_pcb *pcb)
{
	return pcb->state == FIN_WAIT_1 || pcb->state == FIN_WAIT_2 || pcb->state == CLOSING ||
	       pcb->state == TIME_WAIT || pcb->state == LAST_ACK;
}

/* Both directions are over: lwIP finishes the connection alone. (Should
 * lwIP still hold our FIN back for want of memory, the pcb stays until
 * lwIP reports its end through tcp_on_error.) */
static void tcp_finish_if_done(struct inet_tcp *t)
{
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	if (t->inet.rcv_shutdown && t->inet.snd_shutdown && pcb && t->phase == TCP_PHASE_CONNECTED && tcp_fin_sent(pcb))
		tcp_close(tcp_detach(t));
}

static err_t tcp_on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct inet_tcp *t = arg;
	(void)pcb;
	(void)err; /* always ERR_OK in lwIP 2.1 */
	struct socket *s = t->inet.socket;
	if (!p) { /* the peer's FIN */
		t->inet.rcv_shutdown = true;
		tcp_finish_if_done(t);
		socket_notify(s, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | (t->inet.snd_shutdown ? EPOLLHUP : 0));
		return ERR_OK;
	}
	recv_queue_append(t, p);
	socket_notify(s, EPOLLIN | EPOLLRDNORM);
	return ERR_OK;
}

static err_t tcp_on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct inet_tcp *t = arg;
	(void)len;
	if (t->want_write && tcp_writable(pcb)) {
		t->want_write = false;
		socket_notify(t->inet.socket, EPOLLOUT | EPOLLWRNORM);
	}
	return ERR_OK;
}

static err_t tcp_on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct inet_tcp *t = arg;
	(void)pcb;
	(void)err; /* always ERR_OK in lwIP 2.1: failures come through tcp_on_error */
	t->phase = TCP_PHASE_CONNECTED;
	tcp_cache_name(t);
	socket_notify(t->inet.socket, EPOLLOUT | EPOLLWRNORM);
	return ERR_OK;
}

/* lwIP has freed the pcb: a reset, a timeout, or (ERR_CLSD) the end of a
 * connection closed both ways. */
static void tcp_on_error(void *arg, err_t err)
{
	struct inet_tcp *t = arg;
	struct socket *s = t->inet.socket;
	t->inet.pcb.tcp = NULL;
	t->inet.rcv_shutdown = t->inet.snd_shutdown = true;
	if (err != ERR_CLSD) {
		bool connecting = t->phase == TCP_PHASE_CONNECTING;
		if (err == ERR_RST)
			s->error = connecting ? ECONNREFUSED : ECONNRESET;
		else if (err == ERR_ABRT) /* retransmissions or keepalive probes ran out */
			s->error = ETIMEDOUT;
		else
			s->error = -inet_errno(err);
		t->phase = TCP_PHASE_CLOSED;
	}
	socket_notify(s, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT | EPOLLWRNORM | EPOLLERR | EPOLLHUP);
}

/* Socket state. */

static int tcp_state_new(struct socket *s, struct inet_tcp **out)
{
	struct inet_tcp *t = kzalloc(sizeof *t);
	if (!t)
		return -ENOMEM;
	inet_sock_init(&t->inet, s);
	t->keepidle_s = TCP_KEEPIDLE_DEFAULT_S;
	t->keepintvl_s = TCP_KEEPINTVL_DEFAULT_S;
	t->keepcnt = TCP_KEEPCNT_DEFAULT;
	t->quickack = true;
	*out = t;
	return 0;
}

/* A pcb for the socket if it has none (a new socket, or one whose
 * connection failed), with the socket's options and bound address. */
static int tcp_pcb_ensure(struct inet_tcp *t)
{
	if (t->inet.pcb.tcp)
		return 0;
	u8_t type = !t->inet.v6 ? IPADDR_TYPE_V4 : t->inet.v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;
	struct tcp_pcb *pcb = tcp_new_ip_type(type);
	if (!pcb)
		return -ENOMEM;
	t->inet.pcb.tcp = pcb;
	inet_pcb_apply_options(&t->inet);
	tcp_apply_options(t);
	tcp_attach(t);
	if (t->bound) {
		err_t err = tcp_bind(pcb, &t->local_ip, t->local_port);
		if (err != ERR_OK)
			return err == ERR_USE ? -EADDRINUSE : inet_errno(err);
	}
	return 0;
}

int inet_tcp_create(struct socket *s)
{
	struct inet_tcp *t;
	int err = tcp_state_new(s, &t);
	if (err)
		return err;
	s->ops = &tcp_ops;
	if ((err = tcp_pcb_ensure(t))) {
		inet_sock_release(&t->inet);
		kfree(t);
	}
	return err;
}

/* The socket for a connection a listener got, with the listener's options
 * (Linux's child inherits the parent's socket). NULL without memory. */
static struct inet_tcp *tcp_child_new(struct inet_tcp *listener, struct tcp_pcb *pcb)
{
	struct socket *parent = listener->inet.socket;
	struct socket *s = socket_alloc_like(parent);
	if (!s)
		return NULL;
	struct inet_tcp *t;
	if (tcp_state_new(s, &t)) {
		socket_free(s);
		return NULL;
	}
	socket_inherit_options(s, parent);
	struct inet_sock shared = listener->inet;
	shared.socket = s;
	shared.pcb.tcp = pcb;
	t->inet = shared;
	t->nodelay = listener->nodelay;
	t->keepidle_s = listener->keepidle_s;
	t->keepintvl_s = listener->keepintvl_s;
	t->keepcnt = listener->keepcnt;
	t->maxseg = listener->maxseg;
	t->phase = TCP_PHASE_CONNECTED;
	inet_pcb_apply_options(&t->inet);
	tcp_apply_options(t);
	tcp_attach(t);
	tcp_cache_name(t);
	return t;
}

static err_t tcp_on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct inet_tcp *listener = arg;
	if (err != ERR_OK || !pcb || !listener)
		return ERR_VAL;
	struct inet_tcp *child = tcp_child_new(listener, pcb);
	if (!child)
		return ERR_MEM;   /* lwIP resets the connection */
	tcp_backlog_delayed(pcb); /* it counts against the backlog until accepted */
	if (listener->accept_tail)
		listener->accept_tail->accept_next = child;
	else
		listener->accept_head = child;
	listener->accept_tail = child;
	socket_notify(listener->inet.socket, EPOLLIN | EPOLLRDNORM);
	return ERR_OK;
}

static void tcp_drop_accept_queue(struct inet_tcp *t)
{
	while (t->accept_head) {
		struct inet_tcp *child = t->accept_head;
		t->accept_head = child->accept_next;
		socket_free(child->inet.socket);
	}
	t->accept_tail = NULL;
}

/* Linux's disconnect (connect to AF_UNSPEC, shutdown of a listener or of a
 * connect in progress): the connection reset or the listener closed, and
 * the socket as new, keeping its bound address. */
static int tcp_disconnect(struct inet_tcp *t)
{
	tcp_drop_accept_queue(t);
	if (t->inet.pcb.tcp) {
		bool listening = t->phase == TCP_PHASE_LISTEN;
		struct tcp_pcb *pcb = tcp_detach(t);
		if (listening)
			tcp_close(pcb); /* frees a listening pcb at once */
		else
			tcp_abort(pcb);
		inet_deliver();
	}
	recv_queue_free(t);
	t->phase = TCP_PHASE_CLOSED;
	t->connect_unreported = false;
	t->inet.rcv_shutdown = t->inet.snd_shutdown = false;
	t->inet.socket->listening = false;
	return 0;
}

static void tcp_release(struct socket *s)
{
	struct inet_tcp *t = tcp_of(s);
	if (!t)
		return; /* an accept's child that never got its state */
	tcp_drop_accept_queue(t);
	if (t->inet.pcb.tcp) {
		/* Unread data or SO_LINGER with a zero time: a reset, as Linux
		 * sends. A lingering close does not wait: lwIP sends what is
		 * queued after the socket is gone. */
		bool reset =
		    t->phase == TCP_PHASE_CONNECTED && (t->recv_bytes || (s->linger_on && s->linger_seconds == 0));
		struct tcp_pcb *pcb = tcp_detach(t);
		if (reset)
			tcp_abort(pcb);
		else
			tcp_close_pcb(pcb);
		inet_deliver();
	}
	recv_queue_free(t);
	inet_sock_release(&t->inet);
	kfree(t);
}

/* Operations. */

static int tcp_bind_op(struct socket *s, const struct sockaddr *addr, socklen_t len)
{
	struct inet_tcp *t = tcp_of(s);
	ip_addr_t ip;
	uint16_t port;
	int err = inet_address_parse(&t->inet, addr, len, INET_ADDRESS_BIND, &ip, &port);
	if (err)
		return err;
	if (t->phase != TCP_PHASE_CLOSED || t->bound)
		return -EINVAL;
	if ((err = tcp_pcb_ensure(t)))
		return err;
	err_t lwip_err = tcp_bind(t->inet.pcb.tcp, &ip, port);
	if (lwip_err != ERR_OK)
		return lwip_err == ERR_BUF ? -EADDRINUSE : inet_errno(lwip_err); /* ERR_BUF: no free port */
	t->bound = true;
	tcp_cache_name(t);
	return 0;
}

static int tcp_listen_op(struct socket *s, int backlog)
{
	struct inet_tcp *t = tcp_of(s);
	u8_t lwip_backlog = backlog < 1 ? 1 : backlog > LWIP_BACKLOG_MAX ? LWIP_BACKLOG_MAX : (u8_t)backlog;
	if (t->phase == TCP_PHASE_LISTEN) {
		tcp_backlog_set(t->inet.pcb.tcp, lwip_backlog);
		return 0;
	}
	if (t->phase != TCP_PHASE_CLOSED)
		return -EINVAL;
	int err = tcp_pcb_ensure(t);
	if (err)
		return err;
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	if (!pcb->local_port) {
		ip_addr_t any;
		inet_address_any(&t->inet, &any);
		err_t lwip_err = tcp_bind(pcb, &any, 0);
		if (lwip_err != ERR_OK)
			return lwip_err == ERR_BUF ? -EADDRINUSE : inet_errno(lwip_err);
	}
	err_t lwip_err;
	struct tcp_pcb *listener = tcp_listen_with_backlog_and_err(pcb, lwip_backlog, &lwip_err);
	if (!listener)
		return inet_errno(lwip_err); /* the bound pcb stays */
	t->inet.pcb.tcp = listener;          /* lwIP freed pcb */
	tcp_arg(listener, t);
	tcp_accept(listener, tcp_on_accept);
	t->phase = TCP_PHASE_LISTEN;
	tcp_cache_name(t);
	return 0;
}

static int tcp_accept_op(struct socket *s, struct socket **child, bool nonblock, uint64_t deadline)
{
	struct inet_tcp *t = tcp_of(s);
	while (!t->accept_head) {
		if (t->phase != TCP_PHASE_LISTEN)
			return -EINVAL;
		if (nonblock)
			return -EAGAIN;
		long err = readiness_wait(&s->wait, deadline);
		if (err)
			return (int)err;
	}
	struct inet_tcp *c = t->accept_head;
	t->accept_head = c->accept_next;
	if (!t->accept_head)
		t->accept_tail = NULL;
	c->accept_next = NULL;
	if (c->inet.pcb.tcp)
		tcp_backlog_accepted(c->inet.pcb.tcp);
	*child = c->inet.socket;
	return 0;
}

/* Waits for a connect in progress to end: 0, or why it failed. */
static int tcp_connect_wait(struct inet_tcp *t, uint64_t deadline)
{
	struct socket *s = t->inet.socket;
	while (t->phase == TCP_PHASE_CONNECTING) {
		long err = readiness_wait(&s->wait, deadline);
		if (err) {
			t->connect_unreported = true;
			return (int)err; /* the core makes a timeout EINPROGRESS */
		}
	}
	t->connect_unreported = false;
	if (t->phase == TCP_PHASE_CONNECTED)
		return 0;
	return s->error ? inet_take_error(s) : -ECONNABORTED;
}

static int tcp_connect_op(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock,
                          uint64_t deadline)
{
	struct inet_tcp *t = tcp_of(s);
	if (len >= sizeof addr->sa_family && addr->sa_family == AF_UNSPEC)
		return tcp_disconnect(t);
	switch (t->phase) {
	case TCP_PHASE_LISTEN:
		return -EISCONN;
	case TCP_PHASE_CONNECTED:
		if (t->connect_unreported) { /* Linux answers 0 once after a non-blocking connect */
			t->connect_unreported = false;
			return 0;
		}
		return -EISCONN;
	case TCP_PHASE_CONNECTING:
		return nonblock ? -EALREADY : tcp_connect_wait(t, deadline);
	case TCP_PHASE_CLOSED:
		if (t->connect_unreported) /* a connect that failed unseen: this call reports it */
			return tcp_connect_wait(t, deadline);
		break;
	}
	ip_addr_t ip;
	uint16_t port;
	int err = inet_address_parse(&t->inet, addr, len, INET_ADDRESS_STREAM, &ip, &port);
	if (err || (err = tcp_pcb_ensure(t)))
		return err;
	err_t lwip_err = tcp_connect(t->inet.pcb.tcp, &ip, port, tcp_on_connected);
	if (lwip_err != ERR_OK) /* ERR_USE: the same four-tuple exists; ERR_BUF: no free port */
		return lwip_err == ERR_USE || lwip_err == ERR_BUF ? -EADDRNOTAVAIL : inet_errno(lwip_err);
	t->phase = TCP_PHASE_CONNECTING;
	t->inet.rcv_shutdown = t->inet.snd_shutdown = false;
	s->error = 0;
	inet_deliver();
	if (nonblock) {
		/* Even to ourselves, where the handshake is over already, as on Linux. */
		t->connect_unreported = true;
		return -EINPROGRESS;
	}
	return tcp_connect_wait(t, deadline);
}

/* Copies a send's next piece into lwIP: 0, -EAGAIN when lwIP's queue
 * is full, or -errno. */
static int tcp_send_piece(struct inet_tcp *t, struct socket_msg *m, size_t room)
{
	struct tcp_pcb *pcb = t->inet.pcb.tcp;
	size_t n = m->data.remaining;
	if (n > room)
		n = room;
	if (n > sizeof send_bounce)
		n = sizeof send_bounce;
	struct io_iter before = m->data;
	if (io_iter_copy_from(send_bounce, &m->data, n)) {
		m->data = before;
		return -EFAULT;
	}
	/* MORE leaves PSH off when more of this send follows, or MSG_MORE. */
	u8_t flags = TCP_WRITE_FLAG_COPY;
	if (m->data.remaining || (m->flags & MSG_MORE))
		flags |= TCP_WRITE_FLAG_MORE;
	err_t err = tcp_write(pcb, send_bounce, (u16_t)n, flags);
	if (err == ERR_OK)
		return 0;
	m->data = before;
	if (err == ERR_MEM && (pcb->unsent || pcb->unacked))
		return -EAGAIN; /* acknowledgements will make room */
	return inet_errno(err);
}

static long tcp_sendmsg_op(struct socket *s, struct socket_msg *m)
{
	struct inet_tcp *t = tcp_of(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	size_t total = m->data.remaining, sent = 0;
	long err = 0;
	while (m->data.remaining) {
		if (s->error) {
			err = sent ? 0 : inet_take_error(s);
			break;
		}
		if (t->inet.snd_shutdown || (t->phase != TCP_PHASE_CONNECTED && t->phase != TCP_PHASE_CONNECTING)) {
			err = -EPIPE; /* Linux's answer even for a socket never connected */
			break;
		}
		struct tcp_pcb *pcb = t->inet.pcb.tcp;
		size_t room = t->phase == TCP_PHASE_CONNECTED ? tcp_send_room(pcb) : 0;
		if (room) {
			err = tcp_send_piece(t, m, room);
			sent = total - m->data.remaining;
			if (!err)
				continue;
			if (err != -EAGAIN)
				break;
		}
		/* No room: send what is queued and wait for the peer to take it. */
		tcp_push(t);
		if (!err && t->inet.pcb.tcp && t->phase == TCP_PHASE_CONNECTED && tcp_send_room(t->inet.pcb.tcp))
			continue; /* acknowledged at once, by ourselves */
		t->want_write = true;
		if (m->nonblock) {
			err = -EAGAIN;
			break;
		}
		if ((err = readiness_wait(&s->wait, m->deadline)))
			break;
	}
	/* TCP_CORK and MSG_MORE hold a short tail back for the next send. */
	if ((!t->cork && !(m->flags & MSG_MORE)) || m->data.remaining)
		tcp_push(t);
	return sent ? (long)sent : err;
}

/* Why a receive with nothing (more) to read ends: 1 for the end of the
 * stream, 0 to wait, -errno. With bytes already copied, an error stays
 * pending for the next call, as on Linux. */
static int tcp_recv_stop(struct inet_tcp *t, bool nonblock, bool copied)
{
	struct socket *s = t->inet.socket;
	if (s->error)
		return copied ? 1 : inet_take_error(s);
	if (t->inet.rcv_shutdown)
		return 1;
	if (t->phase == TCP_PHASE_CLOSED)
		return copied ? 1 : -ENOTCONN;
	if (nonblock)
		return copied ? 1 : -EAGAIN;
	return 0;
}

static long tcp_recvmsg_op(struct socket *s, struct socket_msg *m)
{
	struct inet_tcp *t = tcp_of(s);
	m->addr_len = 0;
	m->control_len = 0;
	if (m->flags & MSG_OOB)
		return -EINVAL; /* no urgent data is ever kept */
	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN; /* nothing is ever queued there */
	if (t->phase == TCP_PHASE_LISTEN)
		return -ENOTCONN;
	bool peek = m->flags & MSG_PEEK, discard = m->flags & MSG_TRUNC;
	size_t want = m->data.remaining, copied = 0;
	size_t target = (m->flags & MSG_WAITALL) && !peek ? want : (size_t)s->rcvlowat;
	if (target > want)
		target = want;
	long err = 0;
	for (;;) {
		if (t->recv_bytes && copied < want) {
			size_t n = want - copied < t->recv_bytes ? want - copied : t->recv_bytes;
			if (discard)
				io_iter_advance(&m->data, n);
			else if ((err = inet_pbuf_copy_out(t->recv_head, 0, &m->data, n)))
				break;
			copied += n;
			if (peek)
				break;
			recv_queue_consume(t, n);
		}
		if (copied >= target)
			break;
		int stop = tcp_recv_stop(t, m->nonblock, copied);
		if (stop) {
			err = stop < 0 ? stop : 0;
			break;
		}
		if (inet_deliver())
			continue; /* our window updates went out, and an answer may be in */
		if ((err = readiness_wait(&s->wait, m->deadline)))
			break;
	}
	if (copied && !peek)
		inet_deliver();
	return copied ? (long)copied : err;
}

static int tcp_shutdown_op(struct socket *s, int how)
{
	struct inet_tcp *t = tcp_of(s);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	int err = 0;
	switch (t->phase) {
	case TCP_PHASE_LISTEN: /* wakes threads in accept, as Linux does */
		if (how != SHUT_WR)
			tcp_disconnect(t);
		break;
	case TCP_PHASE_CONNECTING:
		tcp_disconnect(t);
		break;
	case TCP_PHASE_CLOSED: /* Linux still marks it, to wake pollers */
		inet_shutdown_flags(&t->inet, how);
		err = -ENOTCONN;
		break;
	case TCP_PHASE_CONNECTED: {
		bool was_sending = !t->inet.snd_shutdown;
		inet_shutdown_flags(&t->inet, how);
		if (was_sending && t->inet.snd_shutdown && t->inet.pcb.tcp) {
			tcp_shutdown(t->inet.pcb.tcp, 0, 1); /* the FIN */
			tcp_finish_if_done(t);
			inet_deliver();
		}
		break;
	}
	}
	socket_notify(s, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLOUT | EPOLLWRNORM | EPOLLHUP);
	return err;
}

static int tcp_getname_op(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer)
{
	struct inet_tcp *t = tcp_of(s);
	const struct tcp_pcb *pcb = t->inet.pcb.tcp;
	if (peer) {
		/* Without a pcb a connection is over (closed both ways, or reset):
		 * Linux's socket is in TCP_CLOSE then, without a peer. */
		if (t->phase != TCP_PHASE_CONNECTED || !pcb)
			return -ENOTCONN;
		*len = inet_address_format(&t->inet, &pcb->remote_ip, pcb->remote_port, addr);
	} else {
		*len = pcb ? inet_address_format(&t->inet, &pcb->local_ip, pcb->local_port, addr)
		           : inet_address_format(&t->inet, &t->local_ip, t->local_port, addr);
	}
	return 0;
}

/* Linux's TCP state number (include/net/tcp_states.h) for the socket. */
static uint8_t linux_tcp_state(const struct inet_tcp *t)
{
	enum { LINUX_TCP_CLOSE = 7 };
	static const uint8_t from_lwip[] = {
	    [ESTABLISHED] = 1,
	    [SYN_SENT] = 2,
	    [SYN_RCVD] = 3,
	    [FIN_WAIT_1] = 4,
	    [FIN_WAIT_2] = 5,
	    [TIME_WAIT] = 6,
	    [CLOSED] = LINUX_TCP_CLOSE,
	    [CLOSE_WAIT] = 8,
	    [LAST_ACK] = 9,
	    [LISTEN] = 10,
	    [CLOSING] = 11,
	};
	const struct tcp_pcb *pcb = t->inet.pcb.tcp;
	return pcb ? from_lwip[pcb->state] : LINUX_TCP_CLOSE;
}

static void tcp_info_fill(const struct inet_tcp *t, struct tcp_info *info)
{
	memset(info, 0, sizeof *info);
	info->tcpi_state = linux_tcp_state(t);
	const struct tcp_pcb *pcb = t->inet.pcb.tcp;
	if (!pcb || pcb->state == LISTEN)
		return;
	if (pcb->flags & TF_WND_SCALE) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = pcb->snd_scale;
		info->tcpi_rcv_wscale = pcb->rcv_scale;
	}
	info->tcpi_rto = (uint32_t)pcb->rto * LWIP_SLOW_TICK_US;
	info->tcpi_snd_mss = tcp_mss(pcb);
	info->tcpi_rcv_mss = tcp_mss(pcb);
	info->tcpi_snd_cwnd = pcb->cwnd / tcp_mss(pcb);
	info->tcpi_snd_ssthresh = pcb->ssthresh / tcp_mss(pcb);
	info->tcpi_rcv_space = pcb->rcv_wnd;
	info->tcpi_retransmits = pcb->nrtx;
}

static int tcp_setsockopt_op(struct socket *s, int level, int name, const void *value, socklen_t len)
{
	struct inet_tcp *t = tcp_of(s);
	if (level != IPPROTO_TCP)
		return inet_setsockopt(&t->inet, level, name, value, len);
	int val, err = inet_option_int(value, len, &val);
	if (err)
		return err;
	switch (name) {
	case TCP_NODELAY:
		t->nodelay = val != 0;
		break;
	case TCP_CORK:
		t->cork = val != 0;
		if (!t->cork)
			tcp_push(t); /* what waited for the cork goes now */
		return 0;
	case TCP_KEEPIDLE:
		if (val < 1 || val > TCP_KEEPIDLE_MAX_S)
			return -EINVAL;
		t->keepidle_s = val;
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > TCP_KEEPINTVL_MAX_S)
			return -EINVAL;
		t->keepintvl_s = val;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > TCP_KEEPCNT_MAX)
			return -EINVAL;
		t->keepcnt = val;
		break;
	case TCP_MAXSEG:
		if (val && (val < TCP_MSS_MIN || val > TCP_MSS_MAX))
			return -EINVAL;
		t->maxseg = val;
		return 0;
	case TCP_DEFER_ACCEPT: /* kept; accept does not wait for data */
		t->defer_accept_s = val < 0 ? 0 : val;
		return 0;
	case TCP_QUICKACK: /* kept; lwIP delays ACKs its own way */
		t->quickack = val != 0;
		return 0;
	case TCP_FASTOPEN: /* kept, as Linux does; connections use the normal handshake */
		if (val < 0)
			return -EINVAL;
		t->fastopen_queue = val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	tcp_apply_options(t);
	if (name == TCP_NODELAY && t->nodelay)
		tcp_push(t); /* Linux sends what Nagle held back */
	return 0;
}

static int tcp_getsockopt_op(struct socket *s, int level, int name, void *value, socklen_t *len)
{
	struct inet_tcp *t = tcp_of(s);
	if (level != IPPROTO_TCP)
		return inet_getsockopt(&t->inet, level, name, value, len);
	const struct tcp_pcb *pcb = t->inet.pcb.tcp;
	int val;
	switch (name) {
	case TCP_NODELAY:
		val = t->nodelay;
		break;
	case TCP_CORK:
		val = t->cork;
		break;
	case TCP_KEEPIDLE:
		val = t->keepidle_s;
		break;
	case TCP_KEEPINTVL:
		val = t->keepintvl_s;
		break;
	case TCP_KEEPCNT:
		val = t->keepcnt;
		break;
	case TCP_MAXSEG:
		if (pcb && t->phase == TCP_PHASE_CONNECTED)
			val = tcp_mss(pcb);
		else
			val = t->maxseg ? t->maxseg : TCP_MSS_UNCONNECTED;
		break;
	case TCP_DEFER_ACCEPT:
		val = t->defer_accept_s;
		break;
	case TCP_QUICKACK:
		val = t->quickack;
		break;
	case TCP_FASTOPEN:
		val = t->fastopen_queue;
		break;
	case TCP_INFO: {
		struct tcp_info info;
		tcp_info_fill(t, &info);
		if (*len > sizeof info)
			*len = sizeof info;
		memcpy(value, &info, *len);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	inet_option_put_int(value, len, val);
	return 0;
}

static unsigned tcp_poll_op(struct socket *s)
{
	struct inet_tcp *t = tcp_of(s);
	if (t->phase == TCP_PHASE_LISTEN)
		return t->accept_head ? EPOLLIN | EPOLLRDNORM : 0;
	unsigned events = inet_poll_common(&t->inet);
	if (t->phase == TCP_PHASE_CLOSED)
		events |= EPOLLHUP;
	if (t->phase == TCP_PHASE_CONNECTING)
		return events;
	if (t->recv_bytes && t->recv_bytes >= (size_t)s->rcvlowat)
		events |= EPOLLIN | EPOLLRDNORM;
	if (t->inet.snd_shutdown || t->phase == TCP_PHASE_CLOSED || tcp_writable(t->inet.pcb.tcp))
		events |= EPOLLOUT | EPOLLWRNORM;
	else
		t->want_write = true;
	return events;
}

static int tcp_ioctl_op(struct socket *s, unsigned cmd, unsigned long arg)
{
	struct inet_tcp *t = tcp_of(s);
	const struct tcp_pcb *pcb = t->inet.pcb.tcp;
	int val;
	switch (cmd) {
	case SIOCINQ: /* FIONREAD */
		if (t->phase == TCP_PHASE_LISTEN)
			return -EINVAL;
		val = (int)t->recv_bytes;
		break;
	case SIOCOUTQ: /* sent and not acknowledged, or not sent yet */
		if (t->phase == TCP_PHASE_LISTEN)
			return -EINVAL;
		val = pcb ? (int)(TCP_SND_BUF - pcb->snd_buf) : 0;
		break;
	case SIOCATMARK: /* at the urgent mark: never, as no urgent data is kept */
		val = 0;
		break;
	default:
		return -ENOTTY;
	}
	return copy_to_user((void *)arg, &val, sizeof val) ? -EFAULT : 0;
}

static const struct socket_ops tcp_ops = {
    .bind = tcp_bind_op,
    .listen = tcp_listen_op,
    .accept = tcp_accept_op,
    .connect = tcp_connect_op,
    .sendmsg = tcp_sendmsg_op,
    .recvmsg = tcp_recvmsg_op,
    .shutdown = tcp_shutdown_op,
    .getname = tcp_getname_op,
    .setsockopt = tcp_setsockopt_op,
    .getsockopt = tcp_getsockopt_op,
    .poll = tcp_poll_op,
    .ioctl = tcp_ioctl_op,
    .release = tcp_release,
};
