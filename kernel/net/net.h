/* The network stack: lwIP (raw API, NO_SYS) with the loopback interface,
 * the devices that register through netdev.h, and the address, gateway and
 * DNS server the kernel command line gives (ip=ADDR/PREFIX gw=ADDR dns=ADDR). */
#ifndef SOLE_NET_H
#define SOLE_NET_H

/* Starts lwIP and the loopback interface; before devices_probe. */
void net_init(void);

#endif
