/* A new connection may take over one in TIME_WAIT, as on Linux
 * (tcp_timewait_state_process): a SYN, without ACK or RST, for the same
 * addresses and ports, whose sequence number lies after everything the old
 * connection received, ends the TIME_WAIT and reaches the listener.
 *
 * lwIP answers such a SYN with an ACK and ignores the peer's RST (RFC
 * 1337), so the new connection waits out the whole 2 MSL (two minutes).
 * That is what a server that closes first meets whenever a client's port
 * comes round again: nginx ends a keep-alive connection after 1000
 * requests, and QEMU's user network hands the guest the host client's own
 * source port, so under wrk a connection now and then stalled for two
 * minutes. The check runs on each IP packet before lwIP sees it, and lets
 * lwIP take the packet as usual. */
#include <stdbool.h>
#include <string.h>

#include "kernel/net/lwip_hooks.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/priv/tcp_priv.h"

#define IP4_HEADER_MIN 20
#define IP6_HEADER_LEN 40

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t load_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* TCP, at least its fixed header, from SOURCE to DESTINATION. */
static void take_over_timewait(const ip_addr_t *source, const ip_addr_t *destination, const uint8_t *tcp)
{
	if ((tcp[13] & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return;
	u16_t source_port = load_be16(tcp), destination_port = load_be16(tcp + 2);
	u32_t seqno = load_be32(tcp + 4);
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		if (pcb->remote_port == source_port && pcb->local_port == destination_port &&
		    ip_addr_cmp(&pcb->remote_ip, source) && ip_addr_cmp(&pcb->local_ip, destination)) {
			if (TCP_SEQ_GT(seqno, pcb->rcv_nxt))
				tcp_abort(pcb); /* in TIME_WAIT: only unlinks and frees it */
			return;
		}
}

int tcp_timewait_ip4_input(struct pbuf *p, struct netif *inp)
{
	(void)inp;
	const uint8_t *ip = p->payload;
	if (!tcp_tw_pcbs || p->len < IP4_HEADER_MIN || ip[0] >> 4 != 4 || ip[9] != IP_PROTO_TCP)
		return 0;
	size_t header_len = (size_t)(ip[0] & 0x0f) * 4;
	bool fragment = load_be16(ip + 6) & (IP_MF | IP_OFFMASK);
	if (fragment || header_len < IP4_HEADER_MIN || p->len < header_len + TCP_HLEN)
		return 0;
	ip_addr_t source = IPADDR4_INIT(0), destination = IPADDR4_INIT(0);
	memcpy(&ip_2_ip4(&source)->addr, ip + 12, 4);
	memcpy(&ip_2_ip4(&destination)->addr, ip + 16, 4);
	take_over_timewait(&source, &destination, ip + header_len);
	return 0;
}

/* Only a TCP header straight after the fixed one: a SYN with extension
 * headers goes to lwIP untouched. */
int tcp_timewait_ip6_input(struct pbuf *p, struct netif *inp)
{
	const uint8_t *ip = p->payload;
	if (!tcp_tw_pcbs || p->len < IP6_HEADER_LEN + TCP_HLEN || ip[0] >> 4 != 6 || ip[6] != IP_PROTO_TCP)
		return 0;
	ip_addr_t source = IPADDR6_INIT(0, 0, 0, 0), destination = IPADDR6_INIT(0, 0, 0, 0);
	memcpy(ip_2_ip6(&source)->addr, ip + 8, 16);
	memcpy(ip_2_ip6(&destination)->addr, ip + 24, 16);
	ip6_addr_assign_zone(ip_2_ip6(&source), IP6_UNKNOWN, inp);
	ip6_addr_assign_zone(ip_2_ip6(&destination), IP6_UNKNOWN, inp);
	take_over_timewait(&source, &destination, ip + IP6_HEADER_LEN);
	return 0;
}
