/* The interface ioctls of interface.h over lwIP's netif list. There are a
 * handful of interfaces at most (the loopback and a device or two), so a
 * walk of the list finds one. */
#include "kernel/net/interface.h"

#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/net/net.h"
#include "libc-glue/kformat.h"
#include "lwip/netif.h"

#define LOOPBACK_MTU 65536 /* Linux's lo (lwIP's has none) */
/* Hardware types (Linux's if_arp.h, whose musl copy clashes with lwIP's
 * BYTE_ORDER). */
#define ARPHRD_ETHER 1
#define ARPHRD_LOOPBACK 772

bool interface_is_loopback(const struct netif *netif) { return netif->name[0] == 'l' && netif->name[1] == 'o'; }

/* lwIP numbers its netifs in the order they come, the loopback first
 * (num 0, index 1), so eth0 is num 1. */
void interface_name(const struct netif *netif, char name[IFNAMSIZ])
{
	memset(name, 0, IFNAMSIZ);
	if (interface_is_loopback(netif))
		strcpy(name, "lo");
	else
		ksnprintf(name, IFNAMSIZ, "eth%u", netif->num - 1u);
}

struct netif *interface_by_name(const char *name)
{
	struct netif *netif;
	NETIF_FOREACH(netif)
	{
		char own[IFNAMSIZ];
		interface_name(netif, own);
		if (!strcmp(own, name))
			return netif;
	}
	return NULL;
}

unsigned interface_flags(const struct netif *netif)
{
	unsigned flags = 0;
	if (netif_is_up(netif))
		flags |= IFF_UP;
	if (netif_is_up(netif) && netif_is_link_up(netif))
		flags |= IFF_RUNNING | IFF_LOWER_UP;
	if (interface_is_loopback(netif))
		return flags | IFF_LOOPBACK;
	if (netif->flags & NETIF_FLAG_BROADCAST)
		flags |= IFF_BROADCAST;
	if (netif->flags & (NETIF_FLAG_IGMP | NETIF_FLAG_MLD6))
		flags |= IFF_MULTICAST;
	return flags;
}

unsigned interface_mtu(const struct netif *netif) { return interface_is_loopback(netif) ? LOOPBACK_MTU : netif->mtu; }

unsigned short interface_hardware_type(const struct netif *netif)
{
	return interface_is_loopback(netif) ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
}

static void put_ipv4(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = addr};
	memcpy(sa, &sin, sizeof sin);
}

/* SIOCGIFCONF: an entry for each interface with an IPv4 address, in index
 * order (sole never removes a netif, so the indexes have no gaps), as many
 * as fit; with no buffer, the room all of them need. */
static long interface_list(unsigned long arg)
{
	struct ifconf conf;
	if (copy_from_user(&conf, (void *)arg, sizeof conf))
		return -EFAULT;
	int total = 0;
	struct netif *netif;
	for (unsigned index = 1; index <= UINT8_MAX && (netif = netif_get_by_index((u8_t)index)); index++) {
		if (ip4_addr_isany(netif_ip4_addr(netif)))
			continue;
		if (conf.ifc_buf) {
			if (conf.ifc_len - total < (int)sizeof(struct ifreq))
				break;
			struct ifreq entry = {0};
			interface_name(netif, entry.ifr_name);
			put_ipv4(&entry.ifr_addr, ip4_addr_get_u32(netif_ip4_addr(netif)));
			if (copy_to_user(conf.ifc_buf + total, &entry, sizeof entry))
				return -EFAULT;
		}
		total += (int)sizeof(struct ifreq);
	}
	return copy_to_user(&((struct ifconf *)arg)->ifc_len, &total, sizeof total) ? -EFAULT : 0;
}

/* The IPv4 ioctls (devinet_ioctl): -EADDRNOTAVAIL without an address. */
static long interface_get_ipv4(const struct netif *netif, unsigned cmd, struct ifreq *req)
{
	uint32_t addr = ip4_addr_get_u32(netif_ip4_addr(netif));
	uint32_t mask = ip4_addr_get_u32(netif_ip4_netmask(netif));
	if (!addr)
		return -EADDRNOTAVAIL;
	if (cmd == SIOCGIFADDR)
		put_ipv4(&req->ifr_addr, addr);
	else if (cmd == SIOCGIFNETMASK)
		put_ipv4(&req->ifr_netmask, mask);
	else /* SIOCGIFBRDADDR: lo has none */
		put_ipv4(&req->ifr_broadaddr, interface_is_loopback(netif) ? 0 : addr | ~mask);
	return 0;
}

static long interface_get(const struct netif *netif, unsigned cmd, struct ifreq *req)
{
	switch (cmd) {
	case SIOCGIFFLAGS:
		req->ifr_flags = (short)interface_flags(netif); /* IFF_LOWER_UP does not fit, as on Linux */
		return 0;
	case SIOCGIFMETRIC:
		req->ifr_metric = 0;
		return 0;
	case SIOCGIFMTU:
		req->ifr_mtu = (int)interface_mtu(netif);
		return 0;
	case SIOCGIFTXQLEN:
		req->ifr_qlen = INTERFACE_TX_QUEUE_LEN;
		return 0;
	case SIOCGIFINDEX:
		req->ifr_ifindex = netif_get_index(netif);
		return 0;
	case SIOCGIFHWADDR:
		memset(&req->ifr_hwaddr, 0, sizeof req->ifr_hwaddr);
		req->ifr_hwaddr.sa_family = interface_hardware_type(netif);
		memcpy(req->ifr_hwaddr.sa_data, netif->hwaddr, netif->hwaddr_len);
		return 0;
	default: /* SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR */
		return interface_get_ipv4(netif, cmd, req);
	}
}

/* The IPv4 ones only on an AF_INET socket, as Linux's inet_ioctl has them. */
static bool is_interface_get(int domain, unsigned cmd)
{
	switch (cmd) {
	case SIOCGIFFLAGS:
	case SIOCGIFMETRIC:
	case SIOCGIFMTU:
	case SIOCGIFTXQLEN:
	case SIOCGIFINDEX:
	case SIOCGIFHWADDR:
		return true;
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
		return domain == AF_INET;
	default:
		return false;
	}
}

static bool is_interface_set(unsigned cmd)
{
	switch (cmd) {
	case SIOCSIFFLAGS:
	case SIOCSIFMETRIC:
	case SIOCSIFMTU:
	case SIOCSIFTXQLEN:
	case SIOCSIFHWADDR:
	case SIOCSIFNAME:
	case SIOCSIFADDR:
	case SIOCSIFNETMASK:
	case SIOCSIFBRDADDR:
		return true;
	default:
		return false;
	}
}

long interface_ioctl(int domain, unsigned cmd, unsigned long arg)
{
	if (cmd != SIOCGIFCONF && cmd != SIOCGIFNAME && !is_interface_get(domain, cmd) && !is_interface_set(cmd))
		return -ENOTTY;
	net_start();
	if (cmd == SIOCGIFCONF)
		return interface_list(arg);
	struct ifreq req;
	if (copy_from_user(&req, (void *)arg, sizeof req))
		return -EFAULT;
	/* The interfaces keep what they booted with: the app holds no
	 * CAP_NET_ADMIN, as in a container. */
	if (is_interface_set(cmd))
		return -EPERM;
	req.ifr_name[IFNAMSIZ - 1] = '\0';
	struct netif *netif;
	if (cmd == SIOCGIFNAME) {
		netif = req.ifr_ifindex > 0 && req.ifr_ifindex <= UINT8_MAX ? netif_get_by_index((u8_t)req.ifr_ifindex)
		                                                             : NULL;
		if (!netif)
			return -ENODEV;
		interface_name(netif, req.ifr_name);
	} else {
		netif = interface_by_name(req.ifr_name);
		if (!netif)
			return -ENODEV;
		long err = interface_get(netif, cmd, &req);
		if (err)
			return err;
	}
	return copy_to_user((void *)arg, &req, sizeof req) ? -EFAULT : 0;
}
