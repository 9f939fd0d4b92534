/* The network interfaces as Linux's socket ioctls show them (SIOCGIFCONF,
 * SIOCGIFFLAGS, ...): lwIP's loopback is "lo" and its devices "eth0",
 * "eth1", ... in the order they came, with Linux's indexes (lo 1, eth0 2). */
#ifndef SOLE_NET_INTERFACE_H
#define SOLE_NET_INTERFACE_H

/* An interface ioctl on a socket of the domain, for a command its family
 * does not know: what Linux's dev_ioctl answers for any socket, and
 * devinet_ioctl for AF_INET (the IPv4 address, netmask, broadcast). arg is
 * the app's pointer. The result, or -ENOTTY for a command that is not one. */
long interface_ioctl(int domain, unsigned cmd, unsigned long arg);

#endif
