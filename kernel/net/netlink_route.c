/* NETLINK_ROUTE's answers (netlink.h): the links (RTM_GETLINK) and the
 * addresses (RTM_GETADDR) of lwIP's interfaces, named as interface.c names
 * them, in Linux's message formats and order (a dump of addresses gives
 * every IPv4 one, then every IPv6 one). That is what getifaddrs,
 * if_nameindex, Go's net.Interfaces and `ip link` or `ip addr` read. A dump
 * of IPv4 routes (RTM_GETROUTE) gives the routes Linux would hold for the
 * same addresses: the main table's default route and each subnet, then the
 * local table's local and broadcast routes, each table in address order.
 * Changes need CAP_NET_ADMIN, which the app does not hold, as in a
 * container (EPERM); IPv6 routes, a lookup of one route (`ip route get`),
 * neighbours, rules and the other tables are not kept (EOPNOTSUPP, or an
 * empty dump). */
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/errno.h"
#include "kernel/net/interface.h"
#include "kernel/net/net.h"
#include "kernel/net/netlink.h"
#include "lwip/netif.h"

#define RTM_KIND_GET 2 /* the low two bits of a type: NEW, DEL, GET, SET */
#define INFINITE_LIFETIME 0xffffffffu
/* RFC 2863's operational states (linux/if.h, which clashes with libc's net/if.h). */
#define OPER_UNKNOWN 0
#define OPER_DOWN 2
#define OPER_UP 6

static const uint8_t ethernet_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static void put_u32(struct netlink_out *out, uint16_t type, uint32_t value)
{
	netlink_put_attr(out, type, &value, sizeof value);
}

static void put_u8(struct netlink_out *out, uint16_t type, uint8_t value) { netlink_put_attr(out, type, &value, 1); }

static void put_link(struct netlink_out *out, const struct netif *netif, uint16_t flags)
{
	bool loopback = interface_is_loopback(netif);
	struct ifinfomsg info = {.ifi_family = AF_UNSPEC,
	                         .ifi_type = interface_hardware_type(netif),
	                         .ifi_index = netif_get_index(netif),
	                         .ifi_flags = interface_flags(netif)};
	netlink_put_message(out, RTM_NEWLINK, flags, &info, sizeof info);
	char name[IFNAMSIZ];
	interface_name(netif, name);
	netlink_put_attr(out, IFLA_IFNAME, name, strlen(name) + 1);
	put_u32(out, IFLA_TXQLEN, INTERFACE_TX_QUEUE_LEN);
	put_u8(out, IFLA_OPERSTATE, loopback ? OPER_UNKNOWN : netif_is_link_up(netif) ? OPER_UP : OPER_DOWN);
	put_u8(out, IFLA_LINKMODE, 0);
	put_u32(out, IFLA_MTU, interface_mtu(netif));
	put_u32(out, IFLA_GROUP, 0);
	put_u32(out, IFLA_PROMISCUITY, 0);
	put_u32(out, IFLA_NUM_TX_QUEUES, 1);
	put_u32(out, IFLA_NUM_RX_QUEUES, 1);
	put_u8(out, IFLA_CARRIER, netif_is_link_up(netif));
	uint8_t none[6] = {0};
	netlink_put_attr(out, IFLA_ADDRESS, loopback ? none : netif->hwaddr, 6);
	netlink_put_attr(out, IFLA_BROADCAST, loopback ? none : ethernet_broadcast, 6);
}

static void put_address_common(struct netlink_out *out, uint32_t ifa_flags)
{
	struct ifa_cacheinfo cache = {.ifa_prefered = INFINITE_LIFETIME, .ifa_valid = INFINITE_LIFETIME};
	netlink_put_attr(out, IFA_CACHEINFO, &cache, sizeof cache);
	put_u32(out, IFA_FLAGS, ifa_flags);
}

static unsigned prefix_length(uint32_t netmask)
{
	unsigned bits = 0;
	for (; netmask; netmask &= netmask - 1)
		bits++;
	return bits;
}

static void put_ipv4_address(struct netlink_out *out, const struct netif *netif, uint16_t flags)
{
	uint32_t address = ip4_addr_get_u32(netif_ip4_addr(netif)), mask = ip4_addr_get_u32(netif_ip4_netmask(netif));
	if (!address)
		return;
	bool loopback = interface_is_loopback(netif);
	struct ifaddrmsg info = {.ifa_family = AF_INET,
	                         .ifa_prefixlen = (uint8_t)prefix_length(mask),
	                         .ifa_flags = IFA_F_PERMANENT,
	                         .ifa_scope = loopback ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE,
	                         .ifa_index = netif_get_index(netif)};
	netlink_put_message(out, RTM_NEWADDR, flags, &info, sizeof info);
	netlink_put_attr(out, IFA_ADDRESS, &address, sizeof address);
	netlink_put_attr(out, IFA_LOCAL, &address, sizeof address);
	if (!loopback) {
		uint32_t broadcast = address | ~mask;
		netlink_put_attr(out, IFA_BROADCAST, &broadcast, sizeof broadcast);
	}
	char name[IFNAMSIZ];
	interface_name(netif, name);
	netlink_put_attr(out, IFA_LABEL, name, strlen(name) + 1);
	put_address_common(out, IFA_F_PERMANENT);
}

/* The loopback's ::1 is /128 and host-scoped, fe80:: addresses link-scoped,
 * and the rest (made by autoconfiguration) global in a /64. */
static void put_ipv6_addresses(struct netlink_out *out, const struct netif *netif, uint16_t flags)
{
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		if (!ip6_addr_isvalid(netif_ip6_addr_state(netif, i)))
			continue;
		const ip6_addr_t *address = netif_ip6_addr(netif, i);
		bool loopback = ip6_addr_isloopback(address), link_local = ip6_addr_islinklocal(address);
		struct ifaddrmsg info = {.ifa_family = AF_INET6,
		                         .ifa_prefixlen = loopback ? 128 : 64,
		                         .ifa_flags = IFA_F_PERMANENT,
		                         .ifa_scope = loopback ? RT_SCOPE_HOST : link_local ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
		                         .ifa_index = netif_get_index(netif)};
		netlink_put_message(out, RTM_NEWADDR, flags, &info, sizeof info);
		netlink_put_attr(out, IFA_ADDRESS, address->addr, sizeof address->addr);
		put_address_common(out, IFA_F_PERMANENT);
	}
}

/* The family a dump asks for: from its ifinfomsg, ifaddrmsg or the bare
 * rtgenmsg that older tools send (its first byte either way). */
static int dump_family(const struct nlmsghdr *request)
{
	if (request->nlmsg_len < NLMSG_LENGTH(1))
		return AF_UNSPEC;
	return *(const uint8_t *)NLMSG_DATA(request);
}

/* The netifs in index order: sole never removes one, so the indexes have no gaps. */
#define FOR_EACH_INTERFACE(index, netif)                                                                          \
	for (unsigned index = 1; index <= UINT8_MAX && ((netif) = netif_get_by_index((u8_t)index)); index++)

static int get_link(const struct nlmsghdr *request, struct netlink_out *out)
{
	struct netif *netif;
	if (request->nlmsg_flags & NLM_F_DUMP) {
		FOR_EACH_INTERFACE(index, netif)
		put_link(out, netif, NLM_F_MULTI);
		return NETLINK_DUMPED;
	}
	if (request->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EINVAL;
	const struct ifinfomsg *info = NLMSG_DATA(request);
	netif = NULL;
	if (info->ifi_index > 0 && info->ifi_index <= UINT8_MAX)
		netif = netif_get_by_index((u8_t)info->ifi_index);
	else if (info->ifi_index)
		return -ENODEV;
	/* Or by IFLA_IFNAME among the attributes. */
	size_t at = NLMSG_LENGTH(sizeof *info);
	while (!info->ifi_index && at + NLA_HDRLEN <= request->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)((const uint8_t *)request + at);
		if (a->nla_len < NLA_HDRLEN || at + a->nla_len > request->nlmsg_len)
			return -EINVAL;
		if ((a->nla_type & NLA_TYPE_MASK) == IFLA_IFNAME) {
			char name[IFNAMSIZ] = {0};
			size_t len = a->nla_len - NLA_HDRLEN;
			memcpy(name, (const uint8_t *)a + NLA_HDRLEN, len < IFNAMSIZ - 1 ? len : IFNAMSIZ - 1);
			if (!(netif = interface_by_name(name)))
				return -ENODEV;
			break;
		}
		at += NLA_ALIGN(a->nla_len);
	}
	if (!netif)
		return info->ifi_index ? -ENODEV : -EINVAL;
	put_link(out, netif, 0);
	return 0;
}

static int get_addresses(const struct nlmsghdr *request, struct netlink_out *out)
{
	if (!(request->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP; /* Linux answers single addresses for IPv6 only; not here */
	int family = dump_family(request);
	struct netif *netif;
	if (family == AF_UNSPEC || family == AF_INET)
		FOR_EACH_INTERFACE(index, netif)
	put_ipv4_address(out, netif, NLM_F_MULTI);
	if (family == AF_UNSPEC || family == AF_INET6)
		FOR_EACH_INTERFACE(index, netif)
	put_ipv6_addresses(out, netif, NLM_F_MULTI);
	return NETLINK_DUMPED;
}

/* One IPv4 route as Linux's fib_dump_info writes it. */
struct route {
	uint32_t dst; /* network order, as the other addresses */
	uint8_t dst_len, table, protocol, scope, type;
	uint32_t prefsrc, gateway;
	int oif;
};

#define MAX_ROUTES (5 * 8) /* per interface: default, subnet, local, broadcast; 8 interfaces at most here */

static void add_route(struct route *routes, int *count, struct route r)
{
	if (*count < MAX_ROUTES)
		routes[(*count)++] = r;
}

/* The routes Linux makes for netif's address, and its default route: the
 * loopback's 127.0.0.0/8 is local, another interface's subnet goes by link. */
static void interface_routes(const struct netif *netif, struct route *routes, int *count)
{
	uint32_t address = ip4_addr_get_u32(netif_ip4_addr(netif)), mask = ip4_addr_get_u32(netif_ip4_netmask(netif));
	uint32_t gateway = ip4_addr_get_u32(netif_ip4_gw(netif));
	if (!address)
		return;
	int oif = netif_get_index(netif);
	uint8_t len = (uint8_t)prefix_length(mask);
	struct route base = {.protocol = RTPROT_KERNEL, .prefsrc = address, .oif = oif};
	if (interface_is_loopback(netif)) {
		struct route subnet = base;
		subnet.dst = address & mask, subnet.dst_len = len, subnet.table = RT_TABLE_LOCAL;
		subnet.scope = RT_SCOPE_HOST, subnet.type = RTN_LOCAL;
		add_route(routes, count, subnet);
	} else {
		if (gateway)
			add_route(routes, count,
			          (struct route){.table = RT_TABLE_MAIN, .protocol = RTPROT_BOOT, .scope = RT_SCOPE_UNIVERSE,
			                         .type = RTN_UNICAST, .gateway = gateway, .oif = oif});
		struct route subnet = base;
		subnet.dst = address & mask, subnet.dst_len = len, subnet.table = RT_TABLE_MAIN;
		subnet.scope = RT_SCOPE_LINK, subnet.type = RTN_UNICAST;
		add_route(routes, count, subnet);
	}
	struct route local = base;
	local.dst = address, local.dst_len = 32, local.table = RT_TABLE_LOCAL, local.scope = RT_SCOPE_HOST;
	local.type = RTN_LOCAL;
	add_route(routes, count, local);
	struct route broadcast = base;
	broadcast.dst = address | ~mask, broadcast.dst_len = 32, broadcast.table = RT_TABLE_LOCAL;
	broadcast.scope = RT_SCOPE_LINK, broadcast.type = RTN_BROADCAST;
	add_route(routes, count, broadcast);
}

/* Linux's dump order: the main table, then the local one; in a table by
 * destination address, the shorter prefix first. */
static bool before(const struct route *a, const struct route *b)
{
	if (a->table != b->table)
		return a->table == RT_TABLE_MAIN;
	uint32_t x = lwip_ntohl(a->dst), y = lwip_ntohl(b->dst);
	return x != y ? x < y : a->dst_len < b->dst_len;
}

static void put_route(struct netlink_out *out, const struct route *r)
{
	struct rtmsg info = {.rtm_family = AF_INET,
	                     .rtm_dst_len = r->dst_len,
	                     .rtm_table = r->table,
	                     .rtm_protocol = r->protocol,
	                     .rtm_scope = r->scope,
	                     .rtm_type = r->type};
	netlink_put_message(out, RTM_NEWROUTE, NLM_F_MULTI, &info, sizeof info);
	put_u32(out, RTA_TABLE, r->table);
	if (r->dst_len)
		netlink_put_attr(out, RTA_DST, &r->dst, sizeof r->dst);
	if (r->prefsrc)
		netlink_put_attr(out, RTA_PREFSRC, &r->prefsrc, sizeof r->prefsrc);
	if (r->gateway)
		netlink_put_attr(out, RTA_GATEWAY, &r->gateway, sizeof r->gateway);
	put_u32(out, RTA_OIF, (uint32_t)r->oif);
}

static int get_routes(const struct nlmsghdr *request, struct netlink_out *out)
{
	if (!(request->nlmsg_flags & NLM_F_DUMP))
		return -EOPNOTSUPP;
	int family = dump_family(request);
	if (family != AF_UNSPEC && family != AF_INET)
		return NETLINK_DUMPED; /* no IPv6 routes are kept */
	struct route routes[MAX_ROUTES];
	int count = 0;
	struct netif *netif;
	FOR_EACH_INTERFACE(index, netif)
	interface_routes(netif, routes, &count);
	for (int i = 1; i < count; i++) /* an insertion sort of a few routes */
		for (int j = i; j > 0 && before(&routes[j], &routes[j - 1]); j--) {
			struct route swap = routes[j];
			routes[j] = routes[j - 1];
			routes[j - 1] = swap;
		}
	for (int i = 0; i < count; i++)
		put_route(out, &routes[i]);
	return NETLINK_DUMPED;
}

int netlink_route_request(const struct nlmsghdr *request, struct netlink_out *out)
{
	uint16_t type = request->nlmsg_type;
	if (type > RTM_MAX)
		return -EOPNOTSUPP;
	if ((type & 3) != RTM_KIND_GET)
		return -EPERM;
	net_start();
	switch (type) {
	case RTM_GETLINK:
		return get_link(request, out);
	case RTM_GETADDR:
		return get_addresses(request, out);
	case RTM_GETROUTE:
		return get_routes(request, out);
	default:
		return -EOPNOTSUPP;
	}
}
