/* lwIP's configuration for sole: the raw (callback) API with no OS layer
 * (NO_SYS), since the kernel runs with interrupts off and on one CPU: the
 * NIC's interrupt and the socket syscalls call lwIP directly, never at the
 * same time. Memory comes from the kernel heap, so nothing is reserved for
 * the network when the app does not use it. */
#ifndef SOLE_LWIPOPTS_H
#define SOLE_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_TIMERS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

/* Memory: the kernel heap for everything (kmalloc), no fixed pools. */
#include <stddef.h>
void *kmalloc(size_t size);
void kfree(void *ptr);
void *lwip_port_calloc(size_t count, size_t size);
#define mem_clib_malloc kmalloc
#define mem_clib_free kfree
#define mem_clib_calloc lwip_port_calloc
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 8
#define LWIP_SUPPORT_CUSTOM_PBUF 1 /* receive buffers lent by the driver */
#define PBUF_POOL_BUFSIZE 1536

/* Protocols. */
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_IGMP 0
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_DNS 0 /* the app resolves names itself, over UDP */
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_MLD 1
#define LWIP_IPV6_DHCP6 0
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
#define IPV6_FRAG_COPYHEADER 1 /* 64-bit pointers do not fit the header space lwIP reuses */
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define ARP_QUEUEING 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_NETIF_LOOPBACK 1 /* traffic to the guest's own addresses */
#define LWIP_HAVE_LOOPIF 1    /* 127.0.0.1 and ::1 */
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1 /* checksum offload per device */
#define LWIP_SINGLE_NETIF 0

/* TCP: Linux-like buffers, window scaling, keepalive, SO_REUSEADDR. */
#define TCP_MSS 1460
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 3
#define TCP_WND (256 * 1024)
#define TCP_SND_BUF (128 * 1024)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT (32 * 1024) /* lwIP counts it in 16 bits */
#define TCP_SNDQUEUELOWAT (TCP_SND_QUEUELEN / 4)
#define TCP_OVERSIZE TCP_MSS
#define TCP_QUEUE_OOSEQ 1
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 255 /* lwIP keeps it in 8 bits */
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_TCP_TIMESTAMPS 0
#define SO_REUSE 1
#define LWIP_CALLBACK_API 1
#define LWIP_EVENT_API 0
#define MEMP_NUM_TCP_PCB 4096
#define MEMP_NUM_TCP_PCB_LISTEN 256
#define MEMP_NUM_UDP_PCB 1024
#define MEMP_NUM_TCP_SEG 65535
#define MEMP_NUM_PBUF 4096
#define MEMP_NUM_REASSDATA 64
#define MEMP_NUM_SYS_TIMEOUT 64
#define LWIP_TCP_PCB_NUM_EXT_ARGS 0
/* Ephemeral ports as Linux picks them (32768-60999 by default). */
#define TCP_LOCAL_PORT_RANGE_START 0x8000
#define TCP_LOCAL_PORT_RANGE_END 0xee47
#define UDP_LOCAL_PORT_RANGE_START 0x8000
#define UDP_LOCAL_PORT_RANGE_END 0xee47
#define TCP_ENSURE_LOCAL_PORT_RANGE(port) \
	((u16_t)(TCP_LOCAL_PORT_RANGE_START + (port) % (TCP_LOCAL_PORT_RANGE_END - TCP_LOCAL_PORT_RANGE_START + 1)))
#define UDP_ENSURE_LOCAL_PORT_RANGE(port) \
	((u16_t)(UDP_LOCAL_PORT_RANGE_START + (port) % (UDP_LOCAL_PORT_RANGE_END - UDP_LOCAL_PORT_RANGE_START + 1)))

/* sole's hooks: Linux's initial sequence numbers, and a SYN that may end a
 * TIME_WAIT (kernel/net/lwip_hooks.h). */
#define LWIP_HOOK_FILENAME "kernel/net/lwip_hooks.h"

/* No statistics or debug output unless asked for. */
#define LWIP_STATS 0
#define LWIP_DEBUG 0

#endif
