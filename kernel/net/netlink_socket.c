/* AF_NETLINK sockets (netlink.h) as Linux's af_netlink has them, for
 * NETLINK_ROUTE: SOCK_RAW or SOCK_DGRAM, a port id from bind or the first
 * send (the process's pid for its first socket), requests parsed as Linux's
 * netlink_rcv_skb parses them (an error or NLM_F_ACK answered with
 * NLMSG_ERROR, a dump ended by NLMSG_DONE), and answers received from port
 * 0, the kernel, one datagram at a time. Multicast groups may be joined,
 * but no event is ever sent: the VM's interfaces never change. */
#include "kernel/net/netlink.h"

#include <linux/eventpoll.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/io_iter.h"
#include "kernel/net/socket.h"
#include "kernel/proc/process.h"

#define DATAGRAM_SIZE 4096      /* a page, as Linux's NLMSG_GOODSIZE allows for */
#define MESSAGE_MAX 512         /* room kept for the next message of an answer */
#define REQUEST_MAX 65536       /* the longest send read */
#define FIRST_AUTOBIND_PORT 0xfffff000u /* Linux's rover: -4096, then down */
#define OPTION_COUNT (NETLINK_GET_STRICT_CHK + 1)

struct netlink_datagram {
	struct netlink_datagram *next;
	size_t len;
	uint8_t data[DATAGRAM_SIZE];
};

struct netlink_sock {
	struct socket *socket;
	struct netlink_sock *next_bound; /* every socket with a port */
	uint32_t port;                   /* nl_pid; 0 until bound */
	uint32_t groups;                 /* nl_groups: joined, never sent to */
	int options[OPTION_COUNT];       /* SOL_NETLINK, by name */
	struct netlink_datagram *head, *tail;
	size_t queued;
};

struct netlink_out {
	struct netlink_sock *nl;
	const struct nlmsghdr *request;
	struct netlink_datagram *current; /* being filled; NULL after a failure */
	struct nlmsghdr *message;         /* the message being built in it */
	int error;                        /* -ENOMEM, -ENOBUFS */
};

static struct netlink_sock *bound_sockets;
static uint32_t next_autobind_port = FIRST_AUTOBIND_PORT;
static const struct socket_ops netlink_ops;

static struct netlink_sock *netlink_of(const struct socket *s) { return s->proto; }

static bool port_taken(uint32_t port)
{
	for (struct netlink_sock *nl = bound_sockets; nl; nl = nl->next_bound)
		if (nl->port == port)
			return true;
	return false;
}

static void take_port(struct netlink_sock *nl, uint32_t port)
{
	nl->port = port;
	nl->next_bound = bound_sockets;
	bound_sockets = nl;
}

/* Linux's netlink_autobind: the process's pid, or a number from -4096 down. */
static void autobind(struct netlink_sock *nl)
{
	if (nl->port)
		return;
	uint32_t port = (uint32_t)current_process()->pid;
	while (port_taken(port))
		port = next_autobind_port--;
	take_port(nl, port);
}

static int netlink_create(struct socket *s)
{
	if (s->type != SOCK_RAW && s->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (s->protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT; /* the other protocols are not in sole */
	struct netlink_sock *nl = kzalloc(sizeof *nl);
	if (!nl)
		return -ENOMEM;
	nl->socket = s;
	s->proto = nl;
	s->ops = &netlink_ops;
	return 0;
}

const struct socket_family netlink_socket_family = {.domain = AF_NETLINK, .create = netlink_create};

static int read_address(const struct sockaddr *addr, socklen_t len, struct sockaddr_nl *out)
{
	if (len < sizeof *out)
		return -EINVAL;
	memcpy(out, addr, sizeof *out);
	return out->nl_family == AF_NETLINK ? 0 : -EINVAL;
}

static int netlink_bind(struct socket *s, const struct sockaddr *addr, socklen_t len)
{
	struct netlink_sock *nl = netlink_of(s);
	struct sockaddr_nl want;
	int err = read_address(addr, len, &want);
	if (err)
		return err;
	if (nl->port && want.nl_pid && want.nl_pid != nl->port)
		return -EINVAL;
	if (!nl->port && want.nl_pid) {
		if (port_taken(want.nl_pid))
			return -EADDRINUSE;
		take_port(nl, want.nl_pid);
	}
	autobind(nl);
	nl->groups = want.nl_groups;
	return 0;
}

/* Only the kernel (port 0) answers here; sending to another socket is a
 * feature of Linux's netlink that sole leaves out. */
static int netlink_connect(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock,
                           uint64_t deadline)
{
	(void)nonblock;
	(void)deadline;
	struct sockaddr_nl to;
	if (len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC)
		return 0;
	int err = read_address(addr, len, &to);
	if (err)
		return err;
	autobind(netlink_of(s));
	return to.nl_pid ? -ECONNREFUSED : 0;
}

/* --- Building answers --- */

static struct netlink_datagram *new_datagram(struct netlink_out *out)
{
	struct netlink_datagram *d = kmalloc(sizeof *d);
	if (!d) {
		out->error = -ENOMEM;
		return NULL;
	}
	d->next = NULL;
	d->len = 0;
	return d;
}

static void queue_datagram(struct netlink_sock *nl, struct netlink_datagram *d)
{
	if (nl->tail)
		nl->tail->next = d;
	else
		nl->head = d;
	nl->tail = d;
	nl->queued += d->len;
}

/* Room for len more bytes of the current message, which always fits. */
static void *reserve(struct netlink_out *out, size_t len)
{
	struct netlink_datagram *d = out->current;
	if (!d || d->len + NLMSG_ALIGN(len) > DATAGRAM_SIZE)
		return NULL;
	void *at = d->data + d->len;
	memset(at, 0, NLMSG_ALIGN(len));
	d->len += NLMSG_ALIGN(len);
	if (out->message)
		out->message->nlmsg_len += (uint32_t)NLMSG_ALIGN(len);
	return at;
}

void netlink_put_message(struct netlink_out *out, uint16_t type, uint16_t flags, const void *fixed, size_t fixed_len)
{
	if (out->error)
		return;
	if (out->current && out->current->len + MESSAGE_MAX > DATAGRAM_SIZE) {
		queue_datagram(out->nl, out->current);
		out->current = NULL;
	}
	if (!out->current && !(out->current = new_datagram(out)))
		return;
	out->message = NULL;
	struct nlmsghdr *h = reserve(out, NLMSG_HDRLEN);
	*h = (struct nlmsghdr){.nlmsg_len = NLMSG_HDRLEN,
	                       .nlmsg_type = type,
	                       .nlmsg_flags = flags,
	                       .nlmsg_seq = out->request->nlmsg_seq,
	                       .nlmsg_pid = out->nl->port};
	out->message = h;
	void *body = reserve(out, fixed_len);
	if (body)
		memcpy(body, fixed, fixed_len);
}

void netlink_put_attr(struct netlink_out *out, uint16_t type, const void *data, size_t len)
{
	if (out->error || !out->message)
		return;
	struct nlattr *a = reserve(out, NLA_HDRLEN + len);
	if (!a) {
		out->error = -EMSGSIZE;
		return;
	}
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = type;
	memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

/* NLMSG_ERROR: the error (0 for an ACK) and the request's header, with its
 * payload too for an error unless NETLINK_CAP_ACK is set. */
static void put_error(struct netlink_out *out, int error)
{
	const struct nlmsghdr *request = out->request;
	bool whole = error && !out->nl->options[NETLINK_CAP_ACK];
	size_t copied = whole ? request->nlmsg_len : NLMSG_HDRLEN;
	struct nlmsgerr head = {.error = error, .msg = *request};
	netlink_put_message(out, NLMSG_ERROR, whole ? 0 : NLM_F_CAPPED, &head, sizeof head);
	if (whole && copied > NLMSG_HDRLEN && out->message) {
		void *rest = reserve(out, copied - NLMSG_HDRLEN);
		if (rest)
			memcpy(rest, (const uint8_t *)request + NLMSG_HDRLEN, copied - NLMSG_HDRLEN);
	}
}

/* One request, as Linux's netlink_rcv_skb takes it: what is not a request
 * (or is a control message) is only acknowledged when asked. */
static void answer(struct netlink_sock *nl, const struct nlmsghdr *request)
{
	struct netlink_out out = {.nl = nl, .request = request};
	int result = 0;
	if ((request->nlmsg_flags & NLM_F_REQUEST) && request->nlmsg_type >= NLMSG_MIN_TYPE)
		result = netlink_route_request(request, &out);
	if (result == NETLINK_DUMPED) {
		int done = 0;
		netlink_put_message(&out, NLMSG_DONE, NLM_F_MULTI, &done, sizeof done);
	} else if (result || (request->nlmsg_flags & NLM_F_ACK)) {
		put_error(&out, result);
	}
	if (out.current && !out.error)
		queue_datagram(nl, out.current);
	else
		kfree(out.current);
	if (nl->head)
		socket_notify(nl->socket, EPOLLIN | EPOLLRDNORM);
}

static long netlink_sendmsg(struct socket *s, struct socket_msg *m)
{
	struct netlink_sock *nl = netlink_of(s);
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->addr) {
		struct sockaddr_nl to;
		int err = read_address((const struct sockaddr *)m->addr, m->addr_len, &to);
		if (err)
			return err;
		if (to.nl_pid || to.nl_groups)
			return -EPERM; /* to another socket or a group: Linux needs CAP_NET_ADMIN for groups */
	}
	size_t len = m->data.remaining;
	if (len > REQUEST_MAX || len > (size_t)s->sndbuf)
		return -EMSGSIZE;
	uint8_t *buf = kmalloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (io_iter_copy_from(buf, &m->data, len)) {
		kfree(buf);
		return -EFAULT;
	}
	autobind(nl);
	size_t at = 0;
	while (len - at >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)(buf + at);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - at)
			break;
		answer(nl, h);
		at += NLMSG_ALIGN(h->nlmsg_len) < len - at ? NLMSG_ALIGN(h->nlmsg_len) : len - at;
	}
	kfree(buf);
	return (long)len;
}

static long netlink_recvmsg(struct socket *s, struct socket_msg *m)
{
	struct netlink_sock *nl = netlink_of(s);
	while (!nl->head) {
		if (m->nonblock)
			return -EAGAIN;
		long err = readiness_wait(&s->wait, m->deadline);
		if (err)
			return err;
	}
	struct netlink_datagram *d = nl->head;
	size_t whole = d->len, n = whole < m->data.remaining ? whole : m->data.remaining;
	int err = io_iter_copy_to(&m->data, d->data, n);
	if (n < whole)
		m->out_flags |= MSG_TRUNC;
	if (m->addr) {
		struct sockaddr_nl from = {.nl_family = AF_NETLINK}; /* the kernel */
		memcpy(m->addr, &from, sizeof from);
		m->addr_len = sizeof from;
	}
	m->control_len = 0;
	if (!(m->flags & MSG_PEEK)) {
		nl->head = d->next;
		if (!nl->head)
			nl->tail = NULL;
		nl->queued -= d->len;
		kfree(d);
	}
	if (err)
		return -EFAULT;
	return (long)(m->flags & MSG_TRUNC ? whole : n);
}

static int netlink_getname(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer)
{
	struct netlink_sock *nl = netlink_of(s);
	struct sockaddr_nl name = {.nl_family = AF_NETLINK};
	if (!peer) {
		name.nl_pid = nl->port;
		name.nl_groups = nl->groups;
	}
	memcpy(addr, &name, sizeof name);
	*len = sizeof name;
	return 0;
}

static bool option_known(int name) { return name >= NETLINK_ADD_MEMBERSHIP && name < OPTION_COUNT; }

static int netlink_setsockopt(struct socket *s, int level, int name, const void *value, socklen_t len)
{
	if (level == SOL_SOCKET)
		return -ENOPROTOOPT; /* the core keeps what it knows */
	if (level != SOL_NETLINK || !option_known(name))
		return -ENOPROTOOPT;
	if (len < sizeof(int))
		return -EINVAL;
	int val;
	memcpy(&val, value, sizeof val);
	struct netlink_sock *nl = netlink_of(s);
	if (name == NETLINK_ADD_MEMBERSHIP || name == NETLINK_DROP_MEMBERSHIP) {
		if (val <= 0 || val > 32)
			return val <= 0 ? -EINVAL : 0; /* groups past 32 exist only as memberships */
		uint32_t bit = 1u << (val - 1);
		nl->groups = name == NETLINK_ADD_MEMBERSHIP ? nl->groups | bit : nl->groups & ~bit;
		autobind(nl);
		return 0;
	}
	nl->options[name] = val != 0;
	return 0;
}

static int netlink_getsockopt(struct socket *s, int level, int name, void *value, socklen_t *len)
{
	if (level != SOL_NETLINK || !option_known(name) || name == NETLINK_ADD_MEMBERSHIP ||
	    name == NETLINK_DROP_MEMBERSHIP)
		return -ENOPROTOOPT;
	if (*len < sizeof(int))
		return -EINVAL;
	int val = netlink_of(s)->options[name];
	memcpy(value, &val, sizeof val);
	*len = sizeof val;
	return 0;
}

static unsigned netlink_poll(struct socket *s)
{
	return EPOLLOUT | EPOLLWRNORM | (netlink_of(s)->head ? EPOLLIN | EPOLLRDNORM : 0);
}

static void netlink_release(struct socket *s)
{
	struct netlink_sock *nl = netlink_of(s);
	for (struct netlink_sock **at = &bound_sockets; *at; at = &(*at)->next_bound)
		if (*at == nl) {
			*at = nl->next_bound;
			break;
		}
	while (nl->head) {
		struct netlink_datagram *d = nl->head;
		nl->head = d->next;
		kfree(d);
	}
	kfree(nl);
}

static const struct socket_ops netlink_ops = {
    .bind = netlink_bind,
    .connect = netlink_connect,
    .sendmsg = netlink_sendmsg,
    .recvmsg = netlink_recvmsg,
    .getname = netlink_getname,
    .setsockopt = netlink_setsockopt,
    .getsockopt = netlink_getsockopt,
    .poll = netlink_poll,
    .release = netlink_release,
};
