/* The network stack: lwIP (raw API, NO_SYS) with the loopback interface,
 * the devices that register through netdev.h, and the address and gateway
 * the kernel command line gives (ip=ADDR/PREFIX gw=ADDR, set by sole run).
 *
 * lwIP runs only with interrupts off: from a device interrupt, from its
 * timer, or from a syscall. */
#ifndef SOLE_NET_H
#define SOLE_NET_H

#include <stdbool.h>

/* Starts lwIP, the loopback interface and the network devices
 * (devices_probe) the first time it is called: the first AF_INET or
 * AF_INET6 socket does, so an app that never opens one pays nothing for
 * the network at boot. */
void net_start(void);

/* Call after lwIP work done from a syscall, before blocking or returning:
 * delivers what was sent to the guest's own addresses (loopback traffic
 * waits in a queue until then) and re-arms lwIP's timers. Cheap when there
 * is nothing to do. True when it delivered something. (Once started, the
 * scheduler also calls it before idling.) */
bool net_poll(void);

/* For the device glue (netif.c): gives a device the address, netmask and
 * gateway from the command line; false when the line gives none. */
struct netif;
bool net_configure_device(struct netif *netif, const char *device_name);

#endif
