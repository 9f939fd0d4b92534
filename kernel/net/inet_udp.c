/* UDP sockets (SOCK_DGRAM over AF_INET and AF_INET6) on lwIP's raw API.
 * Received datagrams wait in a queue bounded by SO_RCVBUF (a datagram
 * arriving at a full queue is dropped, as Linux drops it) with their source,
 * destination, TTL or hop limit and TOS or traffic class, which recvmsg
 * hands out as ancillary data when asked (IP_PKTINFO, IP_RECVTTL,
 * IP_RECVTOS, and RFC 3542's IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT and
 * IPV6_RECVTCLASS); a send copies the app's data once, into the pbuf lwIP
 * sends, with the TTL and TOS its own ancillary data may set. lwIP does not pass ICMP errors to UDP, so a connected socket never
 * sees ECONNREFUSED. */
#include <asm/ioctls.h>
#include <linux/eventpoll.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/udp.h"
#include "kernel/fs/readiness.h"
#include "kernel/net/inet.h"

/* The largest payload: what fits a 16-bit IP length with the UDP header,
 * and for IPv6 what fits lwIP's 16-bit pbuf with the IPv6 header (Linux
 * allows 65527 there). */
#define UDP_MAX_PAYLOAD_IP4 (0xffff - 20 - 8)
#define UDP_MAX_PAYLOAD_IP6 (0xffff - 40 - 8)
/* What a queued datagram costs beyond its payload, against SO_RCVBUF
 * (Linux counts an skb's truesize). */
#define UDP_DATAGRAM_OVERHEAD 256

struct udp_datagram {
	struct udp_datagram *next;
	struct pbuf *p;
	ip_addr_t from, to; /* source, and destination for IP_PKTINFO */
	uint16_t from_port;
	uint8_t if_index; /* the interface it came in on */
	bool over_ip6;    /* came as IPv6, not IPv4 (even to an AF_INET6 socket) */
	uint8_t ttl, tos; /* TTL and TOS, or hop limit and traffic class */
};

struct inet_udp {
	struct inet_sock inet;
	struct udp_datagram *head, *tail;
	size_t queued; /* bytes charged against SO_RCVBUF */
	/* MSG_MORE: what waits to go out as one datagram with the next send
	 * without it, and where it goes. */
	struct pbuf *corked;
	ip_addr_t corked_dest;
	uint16_t corked_port;
};

static const struct socket_ops udp_ops;

static struct inet_udp *udp_of(const struct socket *s) { return s->proto; }

static bool udp_connected(const struct inet_udp *u) { return u->inet.pcb.udp->flags & UDP_FLAGS_CONNECTED; }

static size_t datagram_cost(const struct udp_datagram *d) { return d->p->tot_len + UDP_DATAGRAM_OVERHEAD; }

static void udp_on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	struct inet_udp *u = arg;
	(void)pcb;
	struct udp_datagram *d = NULL;
	if (u->queued < (size_t)u->inet.socket->rcvbuf)
		d = kmalloc(sizeof *d);
	if (!d) {
		pbuf_free(p);
		return;
	}
	*d = (struct udp_datagram){.p = p, .from_port = port, .if_index = netif_get_index(ip_current_input_netif())};
	if (ip_current_is_v6()) {
		d->over_ip6 = true;
		d->ttl = IP6H_HOPLIM(ip6_current_header());
		d->tos = (uint8_t)IP6H_TC(ip6_current_header());
	} else {
		d->ttl = IPH_TTL(ip4_current_header());
		d->tos = IPH_TOS(ip4_current_header());
	}
	ip_addr_copy(d->from, *addr);
	ip_addr_copy(d->to, *ip_current_dest_addr());
	if (u->tail)
		u->tail->next = d;
	else
		u->head = d;
	u->tail = d;
	u->queued += datagram_cost(d);
	socket_notify(u->inet.socket, EPOLLIN | EPOLLRDNORM);
}

static void udp_dequeue(struct inet_udp *u)
{
	struct udp_datagram *d = u->head;
	u->head = d->next;
	if (!u->head)
		u->tail = NULL;
	u->queued -= datagram_cost(d);
	pbuf_free(d->p);
	kfree(d);
}

int inet_udp_create(struct socket *s)
{
	struct inet_udp *u = kzalloc(sizeof *u);
	if (!u)
		return -ENOMEM;
	inet_sock_init(&u->inet, s);
	struct udp_pcb *pcb = udp_new_ip_type(u->inet.v6 ? IPADDR_TYPE_ANY : IPADDR_TYPE_V4);
	if (!pcb) {
		inet_sock_release(&u->inet);
		kfree(u);
		return -ENOMEM;
	}
	u->inet.pcb.udp = pcb;
	inet_pcb_apply_options(&u->inet);
	udp_recv(pcb, udp_on_recv, u);
	s->ops = &udp_ops;
	return 0;
}

static void udp_release(struct socket *s)
{
	if (udp_of(s)->corked)
		pbuf_free(udp_of(s)->corked);
	struct inet_udp *u = udp_of(s);
	udp_remove(u->inet.pcb.udp);
	while (u->head)
		udp_dequeue(u);
	inet_sock_release(&u->inet);
	kfree(u);
}

static int udp_bind_op(struct socket *s, const struct sockaddr *addr, socklen_t len)
{
	struct inet_udp *u = udp_of(s);
	ip_addr_t ip;
	uint16_t port;
	int err = inet_address_parse(&u->inet, addr, len, INET_ADDRESS_BIND, &ip, &port);
	if (err)
		return err;
	if (u->inet.pcb.udp->local_port)
		return -EINVAL;
	err_t lwip_err = udp_bind(u->inet.pcb.udp, &ip, port);
	return lwip_err == ERR_BUF ? -EADDRINUSE : inet_errno(lwip_err); /* ERR_BUF: no free port */
}

static int udp_connect_op(struct socket *s, const struct sockaddr *addr, socklen_t len, bool nonblock,
                          uint64_t deadline)
{
	struct inet_udp *u = udp_of(s);
	(void)nonblock;
	(void)deadline;
	if (len >= sizeof addr->sa_family && addr->sa_family == AF_UNSPEC) {
		udp_disconnect(u->inet.pcb.udp);
		return 0;
	}
	ip_addr_t ip;
	uint16_t port;
	int err = inet_address_parse(&u->inet, addr, len, INET_ADDRESS_DATAGRAM, &ip, &port);
	if (err)
		return err;
	err_t lwip_err = udp_connect(u->inet.pcb.udp, &ip, port);
	return lwip_err == ERR_BUF ? -EAGAIN : inet_errno(lwip_err); /* no free port: Linux's EAGAIN */
}

/* What a send's own ancillary data asks of its datagram; -1: the socket's. */
struct send_options {
	int ttl, tos;
};

/* An int option of a control message: its value, or -EINVAL for a length
 * other than an int's or a value outside [low, 255]. */
static int cmsg_int(const struct cmsghdr *c, int low)
{
	int val;
	if (c->cmsg_len != CMSG_LEN(sizeof val))
		return -EINVAL;
	memcpy(&val, CMSG_DATA(c), sizeof val);
	return val < low || val > 255 ? -EINVAL : val;
}

/* Reads the options of a send's ancillary data that sole honours: IP_TTL
 * and IP_TOS on AF_INET, IPV6_HOPLIMIT and IPV6_TCLASS on AF_INET6, with
 * Linux's checks (ip_cmsg_send, ip6_datagram_send_ctl). Others pass. */
static int read_send_options(const struct inet_udp *u, const struct socket_msg *m, struct send_options *o)
{
	*o = (struct send_options){-1, -1};
	const uint8_t *at = m->control;
	size_t left = m->control ? m->control_len : 0;
	while (left >= sizeof(struct cmsghdr)) {
		struct cmsghdr c;
		memcpy(&c, at, sizeof c);
		if (c.cmsg_len < sizeof c || c.cmsg_len > left)
			return -EINVAL;
		const struct cmsghdr *whole = (const struct cmsghdr *)at;
		int val = 0;
		if (u->inet.v6 && c.cmsg_level == IPPROTO_IPV6 && c.cmsg_type == IPV6_HOPLIMIT)
			o->ttl = val = cmsg_int(whole, -1);
		else if (u->inet.v6 && c.cmsg_level == IPPROTO_IPV6 && c.cmsg_type == IPV6_TCLASS)
			o->tos = val = cmsg_int(whole, -1);
		else if (!u->inet.v6 && c.cmsg_level == IPPROTO_IP && c.cmsg_type == IP_TTL)
			o->ttl = val = cmsg_int(whole, 1);
		else if (!u->inet.v6 && c.cmsg_level == IPPROTO_IP && c.cmsg_type == IP_TOS)
			o->tos = val = c.cmsg_len == CMSG_LEN(1) ? *CMSG_DATA(whole) : cmsg_int(whole, 0);
		if (val < -1)
			return val;
		size_t step = CMSG_ALIGN(c.cmsg_len);
		if (step >= left)
			break;
		at += step;
		left -= step;
	}
	return 0;
}

/* Sends p as the pcb would, but with the TTL and TOS the options ask for. */
static err_t send_with_options(struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *dest, uint16_t port,
                               const struct send_options *o)
{
	uint8_t ttl = pcb->ttl, tos = pcb->tos;
	if (o->ttl >= 0)
		pcb->ttl = (uint8_t)o->ttl;
	if (o->tos >= 0)
		pcb->tos = (uint8_t)o->tos;
	err_t err = udp_sendto(pcb, p, dest, port);
	pcb->ttl = ttl;
	pcb->tos = tos;
	return err;
}

static long udp_sendmsg_op(struct socket *s, struct socket_msg *m)
{
	struct inet_udp *u = udp_of(s);
	struct udp_pcb *pcb = u->inet.pcb.udp;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->inet.snd_shutdown)
		return -EPIPE;
	ip_addr_t dest;
	uint16_t port;
	if (m->addr) {
		int err = inet_address_parse(&u->inet, (const struct sockaddr *)m->addr, m->addr_len,
		                             INET_ADDRESS_DATAGRAM, &dest, &port);
		if (err)
			return err;
		if (port == 0)
			return -EINVAL;
	} else if (udp_connected(u)) {
		ip_addr_copy(dest, pcb->remote_ip);
		port = pcb->remote_port;
	} else {
		return -EDESTADDRREQ;
	}
	struct send_options options;
	int options_err = read_send_options(u, m, &options);
	if (options_err)
		return options_err;
	size_t len = m->data.remaining;
	size_t pending = u->corked ? u->corked->tot_len : 0;
	if (pending + len > (IP_IS_V6_VAL(dest) ? UDP_MAX_PAYLOAD_IP6 : UDP_MAX_PAYLOAD_IP4))
		return -EMSGSIZE;
	if (IP_IS_V4_VAL(dest) && ip4_addr_get_u32(ip_2_ip4(&dest)) == IPADDR_BROADCAST && !s->broadcast)
		return -EACCES;
	struct pbuf *p = pbuf_alloc(u->corked ? PBUF_RAW : PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	if (io_iter_copy_from(p->payload, &m->data, len)) {
		pbuf_free(p);
		return -EFAULT;
	}
	if (u->corked) {
		pbuf_cat(u->corked, p); /* the corked datagram's destination stands */
		p = u->corked;
		dest = u->corked_dest;
		port = u->corked_port;
		u->corked = NULL;
	}
	if (m->flags & MSG_MORE) {
		u->corked = p;
		ip_addr_copy(u->corked_dest, dest);
		u->corked_port = port;
		return (long)len;
	}
	err_t err = send_with_options(pcb, p, &dest, port, &options);
	pbuf_free(p);
	inet_deliver();
	return err == ERR_OK ? (long)len : inet_errno(err);
}

/* Appends one control message to m's ancillary data at *used, as Linux's
 * put_cmsg: with no room for its header it is left out, with room for part
 * of its data it goes in cut short, and either way MSG_CTRUNC is set. */
static void put_cmsg(struct socket_msg *m, size_t room, size_t *used, int level, int type, const void *data, size_t len)
{
	size_t left = room - *used;
	if (!m->control || left < sizeof(struct cmsghdr)) {
		m->out_flags |= MSG_CTRUNC;
		return;
	}
	size_t whole = CMSG_LEN(len), kept = whole;
	if (left < whole) {
		m->out_flags |= MSG_CTRUNC;
		kept = left;
	}
	struct cmsghdr header = {.cmsg_len = kept, .cmsg_level = level, .cmsg_type = type};
	uint8_t *at = (uint8_t *)m->control + *used;
	memcpy(at, &header, sizeof header);
	memcpy(at + CMSG_LEN(0), data, kept - CMSG_LEN(0));
	*used += CMSG_SPACE(len) < left ? CMSG_SPACE(len) : left;
}

/* The ancillary data asked for with a datagram, in Linux's order:
 * IPv4's (ip_cmsg_recv), then IPv6's (ip6_datagram_recv_ctl), which an
 * AF_INET6 socket gets for the header fields of IPv6 datagrams only. */
static void put_ancillary(const struct inet_udp *u, const struct udp_datagram *d, struct socket_msg *m)
{
	size_t room = m->control_len, used = 0;
	const struct inet_sock *in = &u->inet;
	if (in->pktinfo && IP_IS_V4_VAL(d->to)) {
		struct in_pktinfo info = {.ipi_ifindex = d->if_index};
		info.ipi_spec_dst.s_addr = info.ipi_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(&d->to));
		put_cmsg(m, room, &used, IPPROTO_IP, IP_PKTINFO, &info, sizeof info);
	}
	if (!d->over_ip6 && in->recv_ttl) {
		int ttl = d->ttl;
		put_cmsg(m, room, &used, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
	}
	if (!d->over_ip6 && in->recv_tos)
		put_cmsg(m, room, &used, IPPROTO_IP, IP_TOS, &d->tos, 1);
	if (in->pktinfo6) {
		struct sockaddr_storage to;
		inet_address_format(in, &d->to, 0, &to);
		struct in6_pktinfo info = {.ipi6_ifindex = d->if_index,
		                           .ipi6_addr = ((const struct sockaddr_in6 *)&to)->sin6_addr};
		put_cmsg(m, room, &used, IPPROTO_IPV6, IPV6_PKTINFO, &info, sizeof info);
	}
	if (d->over_ip6 && in->recv_hoplimit) {
		int hop_limit = d->ttl;
		put_cmsg(m, room, &used, IPPROTO_IPV6, IPV6_HOPLIMIT, &hop_limit, sizeof hop_limit);
	}
	if (d->over_ip6 && in->recv_tclass) {
		int tclass = d->tos;
		put_cmsg(m, room, &used, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof tclass);
	}
	m->control_len = used;
}

static long udp_recvmsg_op(struct socket *s, struct socket_msg *m)
{
	struct inet_udp *u = udp_of(s);
	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN; /* nothing is ever queued there */
	while (!u->head) {
		if (s->error)
			return inet_take_error(s);
		if (m->nonblock) /* Linux looks at a shutdown only once it would wait */
			return -EAGAIN;
		if (u->inet.rcv_shutdown)
			return 0;
		long err = readiness_wait(&s->wait, m->deadline);
		if (err)
			return err;
	}
	const struct udp_datagram *d = u->head;
	size_t len = d->p->tot_len, n = len < m->data.remaining ? len : m->data.remaining;
	int err = inet_pbuf_copy_out(d->p, 0, &m->data, n);
	if (n < len)
		m->out_flags |= MSG_TRUNC;
	if (m->addr)
		m->addr_len = inet_address_format(&u->inet, &d->from, d->from_port, m->addr);
	put_ancillary(u, d, m);
	if (!(m->flags & MSG_PEEK))
		udp_dequeue(u); /* a copy that faulted loses the datagram, as on Linux */
	if (err)
		return err;
	return (long)(m->flags & MSG_TRUNC ? len : n);
}

/* Linux marks even an unconnected socket shut down (waking its readers)
 * and then answers ENOTCONN. */
static int udp_shutdown_op(struct socket *s, int how)
{
	struct inet_udp *u = udp_of(s);
	int err = inet_shutdown_flags(&u->inet, how);
	if (err)
		return err;
	socket_notify(s, EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLHUP);
	return udp_connected(u) ? 0 : -ENOTCONN;
}

static int udp_getname_op(struct socket *s, struct sockaddr_storage *addr, socklen_t *len, bool peer)
{
	struct inet_udp *u = udp_of(s);
	const struct udp_pcb *pcb = u->inet.pcb.udp;
	if (peer) {
		if (!udp_connected(u))
			return -ENOTCONN;
		*len = inet_address_format(&u->inet, &pcb->remote_ip, pcb->remote_port, addr);
		return 0;
	}
	/* Connected while bound to the wildcard: the address its datagrams
	 * leave from, as Linux shows it. */
	ip_addr_t local;
	ip_addr_copy(local, pcb->local_ip);
	if (udp_connected(u) && ip_addr_isany(&local))
		inet_address_source_for(&pcb->remote_ip, &local);
	*len = inet_address_format(&u->inet, &local, pcb->local_port, addr);
	return 0;
}

static int udp_setsockopt_op(struct socket *s, int level, int name, const void *value, socklen_t len)
{
	if (level == IPPROTO_UDP)
		return -ENOPROTOOPT; /* UDP_CORK, UDP_SEGMENT, UDP_GRO: not here */
	return inet_setsockopt(&udp_of(s)->inet, level, name, value, len);
}

static int udp_getsockopt_op(struct socket *s, int level, int name, void *value, socklen_t *len)
{
	if (level == IPPROTO_UDP)
		return -ENOPROTOOPT;
	return inet_getsockopt(&udp_of(s)->inet, level, name, value, len);
}

static unsigned udp_poll_op(struct socket *s)
{
	struct inet_udp *u = udp_of(s);
	unsigned events = inet_poll_common(&u->inet) | EPOLLOUT | EPOLLWRNORM;
	if (u->head)
		events |= EPOLLIN | EPOLLRDNORM;
	return events;
}

static int udp_ioctl_op(struct socket *s, unsigned cmd, unsigned long arg)
{
	struct inet_udp *u = udp_of(s);
	int val;
	switch (cmd) {
	case SIOCINQ: /* FIONREAD: the next datagram's size, as Linux answers */
		val = u->head ? u->head->p->tot_len : 0;
		break;
	case SIOCOUTQ: /* datagrams leave at once */
		val = 0;
		break;
	default:
		return -ENOTTY;
	}
	return copy_to_user((void *)arg, &val, sizeof val) ? -EFAULT : 0;
}

static const struct socket_ops udp_ops = {
    .bind = udp_bind_op,
    .connect = udp_connect_op,
    .sendmsg = udp_sendmsg_op,
    .recvmsg = udp_recvmsg_op,
    .shutdown = udp_shutdown_op,
    .getname = udp_getname_op,
    .setsockopt = udp_setsockopt_op,
    .getsockopt = udp_getsockopt_op,
    .poll = udp_poll_op,
    .ioctl = udp_ioctl_op,
    .release = udp_release,
};
