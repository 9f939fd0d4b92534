/* Socket addresses for AF_INET and AF_INET6: the app's sockaddr_in and
 * sockaddr_in6 to lwIP's ip_addr_t and back. A dual-stack AF_INET6 socket
 * (IPV6_V6ONLY off, Linux's default) reaches IPv4 peers through v4-mapped
 * addresses (::ffff:a.b.c.d): lwIP sees plain IPv4 addresses and pcbs of
 * IPADDR_TYPE_ANY, and the app sees mapped ones. */
#include <netinet/in.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "kernel/net/inet.h"

#define SIN6_LEN_RFC2133 24      /* sockaddr_in6 without sin6_scope_id: Linux's floor */
#define PRIVILEGED_PORT_END 1024 /* Linux's ip_unprivileged_port_start */

static void ip4_from_sockaddr(const struct sockaddr_in *sin, ip_addr_t *ip, uint16_t *port)
{
	ip_addr_set_ip4_u32_val(*ip, sin->sin_addr.s_addr);
	*port = lwip_ntohs(sin->sin_port);
}

/* An IPv4 address that may be bound: loopback (all of 127/8 is the
 * loopback interface's), multicast and broadcast (UDP), or a device's. */
static bool ip4_is_local(const ip4_addr_t *ip)
{
	if (ip4_addr_isany(ip) || ip4_addr_isloopback(ip) || ip4_addr_ismulticast(ip) ||
	    ip4_addr_get_u32(ip) == IPADDR_BROADCAST)
		return true;
	struct netif *netif;
	NETIF_FOREACH(netif)
	{
		if (ip4_addr_cmp(netif_ip4_addr(netif), ip))
			return true;
	}
	return false;
}

static bool ip6_is_local(const ip6_addr_t *ip)
{
	if (ip6_addr_isany(ip) || ip6_addr_ismulticast(ip))
		return true;
	struct netif *netif;
	NETIF_FOREACH(netif)
	{
		if (netif_get_ip6_addr_match(netif, ip) >= 0)
			return true;
	}
	return false;
}

static int ip6_from_sockaddr(const struct inet_sock *in, const struct sockaddr_in6 *sin6, enum inet_address_use use,
                             ip_addr_t *ip, uint16_t *port)
{
	ip6_addr_t ip6;
	memcpy(ip6.addr, &sin6->sin6_addr, sizeof ip6.addr);
	ip6_addr_clear_zone(&ip6);
	*port = lwip_ntohs(sin6->sin6_port);
	if (ip6_addr_isipv4mappedipv6(&ip6)) {
		if (in->v6only) /* Linux: such a socket never meets IPv4 */
			return use == INET_ADDRESS_BIND ? -EINVAL : -ENETUNREACH;
		ip_addr_set_ip4_u32_val(*ip, ip6.addr[3]);
		return 0;
	}
	if (use == INET_ADDRESS_BIND && ip6_addr_isany(&ip6)) {
		inet_address_any(in, ip);
		return 0;
	}
#if LWIP_IPV6_SCOPES
	if (ip6_addr_has_scope(&ip6, IP6_UNKNOWN))
		ip6_addr_set_zone(&ip6, (u8_t)sin6->sin6_scope_id);
#endif
	ip_addr_copy_from_ip6(*ip, ip6);
	return 0;
}

/* A peer of 0.0.0.0 or :: is this host, as on Linux (a BSD habit): an IPv4
 * wildcard means the socket's own IPv4 address when it is bound to one,
 * 127.0.0.1 otherwise; an IPv6 one means ::1, or 127.0.0.1 for a socket
 * bound to a v4-mapped address. */
static void any_peer_is_local(const struct inet_sock *in, ip_addr_t *ip)
{
	if (!ip_addr_isany(ip))
		return;
	const ip_addr_t *local = in->pcb.ip ? &in->pcb.ip->local_ip : NULL;
	bool bound_v4 = local && IP_IS_V4_VAL(*local) && !ip_addr_isany(local);
	if (IP_IS_V4_VAL(*ip) && bound_v4)
		ip_addr_copy(*ip, *local);
	else
		ip_addr_set_loopback(IP_IS_V6_VAL(*ip) && !bound_v4, ip);
}

int inet_address_parse(const struct inet_sock *in, const struct sockaddr *sa, socklen_t len, enum inet_address_use use,
                       ip_addr_t *ip, uint16_t *port)
{
	int err;
	if (in->v6 && !(use == INET_ADDRESS_DATAGRAM && len >= sizeof(struct sockaddr) && sa->sa_family == AF_INET)) {
		if (len < SIN6_LEN_RFC2133)
			return -EINVAL;
		if (sa->sa_family != AF_INET6)
			return -EAFNOSUPPORT;
		err = ip6_from_sockaddr(in, (const struct sockaddr_in6 *)sa, use, ip, port);
	} else {
		if (in->v6 && in->v6only)
			return -EAFNOSUPPORT; /* an AF_INET peer for an IPv6-only datagram socket */
		if (len < sizeof(struct sockaddr_in))
			return -EINVAL;
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		/* Linux takes AF_UNSPEC as AF_INET for INADDR_ANY (old binaries). */
		if (sa->sa_family != AF_INET && !(sa->sa_family == AF_UNSPEC && sin->sin_addr.s_addr == INADDR_ANY))
			return -EAFNOSUPPORT;
		ip4_from_sockaddr(sin, ip, port);
		err = 0;
	}
	if (err)
		return err;
	if (use != INET_ADDRESS_BIND) {
		any_peer_is_local(in, ip);
		return 0;
	}
	if (!IP_IS_ANY_TYPE_VAL(*ip) && !(IP_IS_V6_VAL(*ip) ? ip6_is_local(ip_2_ip6(ip)) : ip4_is_local(ip_2_ip4(ip))))
		return -EADDRNOTAVAIL;
	/* The ports below 1024 need CAP_NET_BIND_SERVICE. */
	if (*port && *port < PRIVILEGED_PORT_END && !capable(CAP_NET_BIND_SERVICE))
		return -EACCES;
	return 0;
}

socklen_t inet_address_format(const struct inet_sock *in, const ip_addr_t *ip, uint16_t port,
                              struct sockaddr_storage *out)
{
	memset(out, 0, sizeof *out);
	if (!in->v6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)out;
		sin->sin_family = AF_INET;
		sin->sin_port = lwip_htons(port);
		if (IP_IS_V4_VAL(*ip))
			sin->sin_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(ip));
		return sizeof *sin;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = lwip_htons(port);
	if (IP_IS_V6_VAL(*ip)) {
		memcpy(&sin6->sin6_addr, ip_2_ip6(ip)->addr, sizeof sin6->sin6_addr);
#if LWIP_IPV6_SCOPES
		if (ip6_addr_has_zone(ip_2_ip6(ip)))
			sin6->sin6_scope_id = ip6_addr_zone(ip_2_ip6(ip));
#endif
	} else if (IP_IS_V4_VAL(*ip)) {
		ip6_addr_t mapped;
		ip4_2_ipv4_mapped_ipv6(&mapped, ip_2_ip4(ip));
		memcpy(&sin6->sin6_addr, mapped.addr, sizeof sin6->sin6_addr);
	} /* IPADDR_TYPE_ANY: a dual-stack wildcard, shown as :: */
	return sizeof *sin6;
}

void inet_address_any(const struct inet_sock *in, ip_addr_t *out)
{
	if (!in->v6)
		ip_addr_copy(*out, *IP4_ADDR_ANY);
	else if (in->v6only)
		ip_addr_copy(*out, *IP6_ADDR_ANY);
	else
		ip_addr_copy(*out, *IP_ANY_TYPE);
}

void inet_address_source_for(const ip_addr_t *dest, ip_addr_t *out)
{
	struct netif *netif = ip_route(IP46_ADDR_ANY(IP_GET_TYPE(dest)), dest);
	const ip_addr_t *local = netif ? ip_netif_get_local_ip(netif, dest) : NULL;
	if (local)
		ip_addr_copy(*out, *local);
}
