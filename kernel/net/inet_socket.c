/* AF_INET and AF_INET6 sockets over lwIP's raw API: the two families, what
 * TCP (inet_tcp.c) and UDP (inet_udp.c) sockets share (their life, lwIP's
 * errors as errno values, the IP-level options), and the wait accounting
 * that keeps the scheduler from judging a server blocked in accept, recv
 * or epoll deadlocked: the network may wake it. */
#include <linux/eventpoll.h>
#include <netinet/in.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/net/net.h"
#include "kernel/sched/sched.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "kernel/net/inet.h"

#define DEFAULT_TTL 64 /* Linux's net.ipv4.ip_default_ttl and IPv6 hop limit */
#define ECN_MASK 3     /* IP_TOS on a stream socket leaves these bits alone */
#define PMTUDISC_MAX 5 /* IP_PMTUDISC_OMIT */

static int inet_create(struct socket *s)
{
	net_start();
	switch (s->type) {
	case SOCK_STREAM:
		if (s->protocol != 0 && s->protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		s->protocol = IPPROTO_TCP;
		return inet_tcp_create(s);
	case SOCK_DGRAM:
		if (s->protocol != 0 && s->protocol != IPPROTO_UDP)
			return -EPROTONOSUPPORT; /* UDP-Lite and ICMP echo sockets are not here */
		s->protocol = IPPROTO_UDP;
		return inet_udp_create(s);
	case SOCK_RAW:
		/* Linux wants a protocol for a raw socket; given one, sole answers
		 * as a container without CAP_NET_RAW (lwIP's raw API is not built). */
		return s->protocol == 0 ? -EPROTONOSUPPORT : -EPERM;
	default:
		return -ESOCKTNOSUPPORT;
	}
}

const struct socket_family inet_socket_family = {.domain = AF_INET, .create = inet_create};
const struct socket_family inet6_socket_family = {.domain = AF_INET6, .create = inet_create};

void inet_sock_init(struct inet_sock *in, struct socket *s)
{
	in->socket = s;
	in->v6 = s->domain == AF_INET6;
	in->ttl = DEFAULT_TTL;
	s->proto = in;
	sched_external_wait(+1);
}

void inet_sock_release(struct inet_sock *in)
{
	in->socket->proto = NULL;
	sched_external_wait(-1);
}

static void set_so_option(struct ip_pcb *pcb, u8_t option, bool on)
{
	if (on)
		ip_set_option(pcb, option);
	else
		ip_reset_option(pcb, option);
}

void inet_pcb_apply_options(struct inet_sock *in)
{
	struct ip_pcb *pcb = in->pcb.ip;
	const struct socket *s = in->socket;
	if (!pcb)
		return;
	/* lwIP's SOF_REUSEADDR lets two sockets that both set it share a port
	 * (a second listener still gets EADDRINUSE), which is what both Linux
	 * options allow a single server. */
	set_so_option(pcb, SOF_REUSEADDR, s->reuseaddr || s->reuseport);
	set_so_option(pcb, SOF_KEEPALIVE, s->keepalive);
	set_so_option(pcb, SOF_BROADCAST, s->broadcast);
	pcb->tos = in->tos;
	pcb->ttl = in->ttl;
}

int inet_errno(err_t err)
{
	switch (err) {
	case ERR_OK:
		return 0;
	case ERR_MEM:
		return -ENOMEM;
	case ERR_BUF:
		return -ENOBUFS;
	case ERR_TIMEOUT:
		return -ETIMEDOUT;
	case ERR_RTE:
		return -ENETUNREACH;
	case ERR_INPROGRESS:
		return -EINPROGRESS;
	case ERR_WOULDBLOCK:
		return -EAGAIN;
	case ERR_USE:
		return -EADDRINUSE;
	case ERR_ALREADY:
		return -EALREADY;
	case ERR_ISCONN:
		return -EISCONN;
	case ERR_CONN:
	case ERR_CLSD:
		return -ENOTCONN;
	case ERR_IF:
		return -ENETDOWN;
	case ERR_ABRT:
		return -ECONNABORTED;
	case ERR_RST:
		return -ECONNRESET;
	default: /* ERR_VAL, ERR_ARG */
		return -EINVAL;
	}
}

int inet_take_error(struct socket *s)
{
	int err = s->error;
	s->error = 0;
	return -err;
}

bool inet_deliver(void) { return net_poll(); }

int inet_option_int(const void *value, socklen_t len, int *out)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(out, value, sizeof(int));
	return 0;
}

void inet_option_put_int(void *value, socklen_t *len, int v)
{
	if (*len > sizeof v)
		*len = sizeof v;
	memcpy(value, &v, *len);
}

/* IP-level options take an int, or a single byte when that is all there is. */
static int ip_option_int(const void *value, socklen_t len, int *out)
{
	if (len >= sizeof(int))
		return inet_option_int(value, len, out);
	if (len < 1)
		return -EINVAL;
	*out = *(const uint8_t *)value;
	return 0;
}

static uint16_t local_port(const struct inet_sock *in)
{
	if (!in->pcb.ip)
		return UINT16_MAX; /* a TCP socket whose connection lwIP has taken over: bound */
	return in->socket->type == SOCK_STREAM ? in->pcb.tcp->local_port : in->pcb.udp->local_port;
}

static int ip_setsockopt(struct inet_sock *in, int name, int val)
{
	switch (name) {
	case IP_TOS:
		if (in->socket->type == SOCK_STREAM)
			val = (val & ~ECN_MASK) | (in->tos & ECN_MASK);
		in->tos = (uint8_t)val;
		break;
	case IP_TTL:
		if (val != -1 && (val < 1 || val > 255))
			return -EINVAL;
		in->ttl = val == -1 ? DEFAULT_TTL : (uint8_t)val;
		break;
	case IP_RECVERR:
		in->recv_err = val != 0;
		break;
	case IP_PKTINFO:
		in->pktinfo = val != 0;
		break;
	case IP_RECVTTL:
		in->recv_ttl = val != 0;
		break;
	case IP_RECVTOS:
		in->recv_tos = val != 0;
		break;
	case IP_MTU_DISCOVER:
		if (val < 0 || val > PMTUDISC_MAX)
			return -EINVAL;
		in->mtu_discover = (uint8_t)val;
		break;
	default:
		return -ENOPROTOOPT;
	}
	inet_pcb_apply_options(in);
	return 0;
}

static int ipv6_setsockopt(struct inet_sock *in, int name, int val)
{
	switch (name) {
	case IPV6_V6ONLY:
		if (local_port(in))
			return -EINVAL; /* Linux: only before the socket has a port */
		in->v6only = val != 0;
		inet_address_any(in, &in->pcb.ip->local_ip);
		return 0;
	case IPV6_UNICAST_HOPS:
		if (val < -1 || val > 255)
			return -EINVAL;
		in->ttl = val == -1 ? DEFAULT_TTL : (uint8_t)val;
		break;
	case IPV6_TCLASS:
		if (val < -1 || val > 255)
			return -EINVAL;
		in->tos = val == -1 ? 0 : (uint8_t)val;
		break;
	case IPV6_RECVERR:
		in->recv_err = val != 0;
		break;
	case IPV6_RECVPKTINFO:
		in->pktinfo6 = val != 0;
		break;
	case IPV6_RECVHOPLIMIT:
		in->recv_hoplimit = val != 0;
		break;
	case IPV6_RECVTCLASS:
		in->recv_tclass = val != 0;
		break;
	case IPV6_MTU_DISCOVER:
		if (val < 0 || val > PMTUDISC_MAX)
			return -EINVAL;
		in->mtu_discover = (uint8_t)val;
		break;
	default:
		return -ENOPROTOOPT;
	}
	inet_pcb_apply_options(in);
	return 0;
}

int inet_setsockopt(struct inet_sock *in, int level, int name, const void *value, socklen_t len)
{
	int val, err;
	switch (level) {
	case SOL_SOCKET:
		/* The core has stored it; the pcb follows the ones lwIP knows.
		 * The core answers 0 itself for the others it keeps (buffer sizes,
		 * timeouts, SO_LINGER, which close reads). */
		if (name != SO_REUSEADDR && name != SO_REUSEPORT && name != SO_KEEPALIVE && name != SO_BROADCAST)
			return -ENOPROTOOPT;
		inet_pcb_apply_options(in);
		return 0;
	case IPPROTO_IP:
		if ((err = ip_option_int(value, len, &val)))
			return err;
		return ip_setsockopt(in, name, val);
	case IPPROTO_IPV6:
		if (!in->v6)
			return -ENOPROTOOPT;
		if ((err = inet_option_int(value, len, &val)))
			return err;
		return ipv6_setsockopt(in, name, val);
	default:
		return -ENOPROTOOPT;
	}
}

static int ip_getsockopt(const struct inet_sock *in, int name, int *val)
{
	switch (name) {
	case IP_TOS:
		*val = in->tos;
		return 0;
	case IP_TTL:
		*val = in->ttl;
		return 0;
	case IP_RECVERR:
		*val = in->recv_err;
		return 0;
	case IP_PKTINFO:
		*val = in->pktinfo;
		return 0;
	case IP_RECVTTL:
		*val = in->recv_ttl;
		return 0;
	case IP_RECVTOS:
		*val = in->recv_tos;
		return 0;
	case IP_MTU_DISCOVER:
		*val = in->mtu_discover;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int ipv6_getsockopt(const struct inet_sock *in, int name, int *val)
{
	switch (name) {
	case IPV6_V6ONLY:
		*val = in->v6only;
		return 0;
	case IPV6_UNICAST_HOPS:
		*val = in->ttl;
		return 0;
	case IPV6_TCLASS:
		*val = in->tos;
		return 0;
	case IPV6_RECVERR:
		*val = in->recv_err;
		return 0;
	case IPV6_RECVPKTINFO:
		*val = in->pktinfo6;
		return 0;
	case IPV6_RECVHOPLIMIT:
		*val = in->recv_hoplimit;
		return 0;
	case IPV6_RECVTCLASS:
		*val = in->recv_tclass;
		return 0;
	case IPV6_MTU_DISCOVER:
		*val = in->mtu_discover;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int inet_getsockopt(struct inet_sock *in, int level, int name, void *value, socklen_t *len)
{
	int val, err;
	if (level == IPPROTO_IP)
		err = ip_getsockopt(in, name, &val);
	else if (level == IPPROTO_IPV6 && in->v6)
		err = ipv6_getsockopt(in, name, &val);
	else if (level == SOL_SOCKET || in->v6)
		err = -ENOPROTOOPT; /* SOL_SOCKET: the core answers all the family could */
	else
		err = -EOPNOTSUPP; /* Linux's ip_getsockopt for any other level (setsockopt: ENOPROTOOPT) */
	if (!err)
		inet_option_put_int(value, len, val);
	return err;
}

unsigned inet_poll_common(const struct inet_sock *in)
{
	unsigned events = 0;
	if (in->rcv_shutdown)
		events |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (in->rcv_shutdown && in->snd_shutdown)
		events |= EPOLLHUP;
	if (in->socket->error)
		events |= EPOLLERR;
	return events;
}

int inet_shutdown_flags(struct inet_sock *in, int how)
{
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	if (how != SHUT_WR)
		in->rcv_shutdown = true;
	if (how != SHUT_RD)
		in->snd_shutdown = true;
	return 0;
}

int inet_pbuf_copy_out(const struct pbuf *p, size_t skip, struct io_iter *it, size_t n)
{
	for (; p && skip >= p->len; p = p->next)
		skip -= p->len;
	for (; p && n; p = p->next) {
		size_t chunk = p->len - skip < n ? p->len - skip : n;
		if (io_iter_copy_to(it, (const uint8_t *)p->payload + skip, chunk))
			return -EFAULT;
		n -= chunk;
		skip = 0;
	}
	return 0;
}
