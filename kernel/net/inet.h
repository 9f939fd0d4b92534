/* Private to the AF_INET and AF_INET6 family (inet_*.c): the state TCP and
 * UDP sockets share, and the helpers they share over lwIP's raw API.
 *
 * lwIP runs only with interrupts off (syscalls, the NIC's interrupt, its
 * timer), so nothing here locks. Its callbacks run from a device interrupt
 * while a thread sleeps, or from net_poll inside one of our own syscalls:
 * after any call to net_poll the pcb may be gone. */
#ifndef SOLE_INET_H
#define SOLE_INET_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "kernel/net/socket.h"

struct tcp_pcb;
struct udp_pcb;

/* What every inet socket has; the first member of TCP's and UDP's state,
 * which s->proto points to. */
struct inet_sock {
	struct socket *socket;
	/* The lwIP pcb, NULL when there is none (TCP: before one is needed
	 * again after a failed connect, or once lwIP owns the connection's
	 * end). Every pcb type starts with IP_PCB, so ip reaches the part they
	 * share. */
	union {
		struct ip_pcb *ip;
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
	} pcb;
	bool v6;           /* AF_INET6 */
	bool v6only;       /* IPV6_V6ONLY */
	bool rcv_shutdown; /* no more to receive: shutdown(SHUT_RD), the peer's FIN, a reset */
	bool snd_shutdown; /* no more to send: shutdown(SHUT_WR), a reset */
	/* IP-level options, kept here so a new pcb starts with them. */
	uint8_t tos;          /* IP_TOS, IPV6_TCLASS */
	uint8_t ttl;          /* IP_TTL, IPV6_UNICAST_HOPS */
	uint8_t mtu_discover; /* IP_MTU_DISCOVER, IPV6_MTU_DISCOVER: stored only */
	bool recv_err;        /* IP_RECVERR, IPV6_RECVERR: no error is ever queued */
	bool pktinfo;         /* IP_PKTINFO */
	bool pktinfo6;        /* IPV6_RECVPKTINFO */
	/* Each datagram's header fields as ancillary data (UDP). */
	bool recv_ttl;      /* IP_RECVTTL */
	bool recv_tos;      /* IP_RECVTOS */
	bool recv_hoplimit; /* IPV6_RECVHOPLIMIT */
	bool recv_tclass;   /* IPV6_RECVTCLASS */
};

static inline struct inet_sock *inet_of(const struct socket *s) { return s->proto; }

/* inet_socket.c: life, errors, options. */

/* Sets up the shared part of a new state (sock may be freshly kzalloc'ed)
 * and counts the socket as one a network event may wake (the scheduler's
 * deadlock check); inet_sock_release undoes the count. */
void inet_sock_init(struct inet_sock *in, struct socket *s);
void inet_sock_release(struct inet_sock *in);
/* Gives the pcb the options kept in in and in its socket (a new pcb). */
void inet_pcb_apply_options(struct inet_sock *in);
/* lwIP's err_t as a negative errno. */
int inet_errno(err_t err);
/* The pending SO_ERROR as a negative errno, cleared; 0 for none. */
int inet_take_error(struct socket *s);
/* Delivers loopback traffic queued by the lwIP calls just made (net_poll):
 * true when it delivered something, which may have changed any socket. */
bool inet_deliver(void);
/* Options at IPPROTO_IP, IPPROTO_IPV6 and SOL_SOCKET, for both protocols
 * (each handles its own level first): 0, -EINVAL, -ENOPROTOOPT, ...; an
 * IPv4 socket's getsockopt at a level it lacks gives -EOPNOTSUPP. */
int inet_setsockopt(struct inet_sock *in, int level, int name, const void *value, socklen_t len);
int inet_getsockopt(struct inet_sock *in, int level, int name, void *value, socklen_t *len);
/* An int option's value as Linux reads it: -EINVAL when len is short. */
int inet_option_int(const void *value, socklen_t len, int *out);
/* Stores an int answer in at most *len bytes, as Linux does. */
void inet_option_put_int(void *value, socklen_t *len, int v);
/* The EPOLL* bits shutdown and errors give, as Linux's poll has them. */
unsigned inet_poll_common(const struct inet_sock *in);
/* Validates how and records it in in: 0 or -EINVAL. */
int inet_shutdown_flags(struct inet_sock *in, int how);
/* Copies n bytes from the pbuf chain p, skipping skip bytes, into it: 0 or
 * -EFAULT. */
int inet_pbuf_copy_out(const struct pbuf *p, size_t skip, struct io_iter *it, size_t n);

/* inet_address.c: socket addresses and lwIP's. */

enum inet_address_use {
	INET_ADDRESS_BIND,     /* a local address: checked to be ours */
	INET_ADDRESS_STREAM,   /* TCP connect */
	INET_ADDRESS_DATAGRAM, /* UDP connect and sendto: AF_INET on a dual-stack socket too */
};

/* The app's sockaddr as an lwIP address and port (host order): 0,
 * -EINVAL (short), -EAFNOSUPPORT (wrong family), -EADDRNOTAVAIL (bind:
 * not one of ours), -ENETUNREACH (an IPv4 peer for an IPv6-only socket).
 * A peer of 0.0.0.0 or :: comes back as the local host's address, as Linux
 * routes it. */
int inet_address_parse(const struct inet_sock *in, const struct sockaddr *sa, socklen_t len, enum inet_address_use use,
                       ip_addr_t *ip, uint16_t *port);
/* ip and port as the socket's family shows them (IPv4 addresses as
 * ::ffff:a.b.c.d on an AF_INET6 socket): the address's length. */
socklen_t inet_address_format(const struct inet_sock *in, const ip_addr_t *ip, uint16_t port,
                              struct sockaddr_storage *out);
/* The wildcard address a bind to "any" means for the socket: 0.0.0.0, ::
 * for an IPv6-only socket, both for a dual-stack one. */
void inet_address_any(const struct inet_sock *in, ip_addr_t *out);
/* The local address a packet to dest would leave from (for getsockname on
 * a connected UDP socket bound to any) into *out, left alone when there is
 * no route. */
void inet_address_source_for(const ip_addr_t *dest, ip_addr_t *out);

/* inet_tcp.c and inet_udp.c */
int inet_tcp_create(struct socket *s);
int inet_udp_create(struct socket *s);

#endif
