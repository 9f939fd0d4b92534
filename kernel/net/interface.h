/* The network interfaces as Linux's socket ioctls (SIOCGIFCONF,
 * SIOCGIFFLAGS, ...) and rtnetlink (netlink_route.c) show them: lwIP's loopback is "lo" and its devices "eth0",
 * "eth1", ... in the order they came, with Linux's indexes (lo 1, eth0 2). */
#ifndef SOLE_NET_INTERFACE_H
#define SOLE_NET_INTERFACE_H

#include <net/if.h>
#include <stdbool.h>

struct netif;

#define INTERFACE_TX_QUEUE_LEN 1000 /* Linux's default txqueuelen */

/* What Linux would call it: "lo", or "eth0", "eth1", ... */
void interface_name(const struct netif *netif, char name[IFNAMSIZ]);
struct netif *interface_by_name(const char *name);
bool interface_is_loopback(const struct netif *netif);
/* dev_get_flags: IFF_UP, IFF_RUNNING, IFF_LOWER_UP, IFF_LOOPBACK, ... */
unsigned interface_flags(const struct netif *netif);
unsigned interface_mtu(const struct netif *netif);
/* ARPHRD_LOOPBACK or ARPHRD_ETHER. */
unsigned short interface_hardware_type(const struct netif *netif);

/* An interface ioctl on a socket of the domain, for a command its family
 * does not know: what Linux's dev_ioctl answers for any socket, and
 * devinet_ioctl for AF_INET (the IPv4 address, netmask, broadcast). arg is
 * the app's pointer. The result, or -ENOTTY for a command that is not one. */
long interface_ioctl(int domain, unsigned cmd, unsigned long arg);

#endif
