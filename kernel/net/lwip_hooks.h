/* The hooks sole gives lwIP (lwipopts.h names this file as
 * LWIP_HOOK_FILENAME, which lwIP's own sources include): TCP initial
 * sequence numbers as Linux picks them (tcp_isn.c), and a new SYN taking
 * over a connection in TIME_WAIT, as on Linux (tcp_timewait.c). */
#ifndef SOLE_NET_LWIP_HOOKS_H
#define SOLE_NET_LWIP_HOOKS_H

#include "lwip/ip_addr.h"

struct pbuf;
struct netif;

/* RFC 6528: a clock that ticks every 4 us plus a keyed hash of the
 * connection's addresses and ports. */
u32_t tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip, u16_t remote_port);

/* Seen before lwIP's IPv4 and IPv6 input; always 0 (never consume the packet). */
int tcp_timewait_ip4_input(struct pbuf *p, struct netif *inp);
int tcp_timewait_ip6_input(struct pbuf *p, struct netif *inp);

#define LWIP_HOOK_TCP_ISN tcp_isn
#define LWIP_HOOK_IP4_INPUT tcp_timewait_ip4_input
#define LWIP_HOOK_IP6_INPUT tcp_timewait_ip6_input

#endif
