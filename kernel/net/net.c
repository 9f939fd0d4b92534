/* Starting the network stack, its timers, its loopback delivery, and the
 * address configuration from the kernel command line. */
#include "kernel/net/net.h"

#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/sched/ktimer.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"
#include "platforms/platform.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/timeouts.h"

#define NS_PER_MS 1000000ull

static struct ktimer lwip_timer;
static bool started;

static void lwip_timer_arm(void)
{
	u32_t sleep_ms = sys_timeouts_sleeptime();
	if (sleep_ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		return;
	uint64_t expires = time_monotonic_ns() + (uint64_t)sleep_ms * NS_PER_MS + 1;
	/* Re-arm only to fire sooner: a later deadline is found when it fires. */
	if (!ktimer_armed(&lwip_timer) || expires < lwip_timer.expires)
		ktimer_arm(&lwip_timer, expires);
}

static void lwip_timer_fire(struct ktimer *t, uint64_t now)
{
	(void)t;
	(void)now;
	sys_check_timeouts();
	net_poll();
}

static bool loopback_pending(void)
{
	struct netif *netif;
	NETIF_FOREACH(netif)
	{
		if (netif->loop_first)
			return true;
	}
	return false;
}

/* A connection inside the VM gets its acknowledgements at once, as Linux
 * acknowledges quickly on loopback: a delayed ACK would hold back a small
 * segment that Nagle waits to send (MSG_MORE then a plain send) for a whole
 * timer tick. True when one was sent. */
static bool acknowledge_local_connections(void)
{
	bool sent = false;
	for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		bool local = ip_addr_isloopback(&pcb->remote_ip) || ip_addr_cmp(&pcb->remote_ip, &pcb->local_ip);
		if ((pcb->flags & TF_ACK_DELAY) && local) {
			tcp_ack_now(pcb);
			tcp_output(pcb);
			sent = true;
		}
	}
	return sent;
}

bool net_poll(void)
{
	bool delivered = false;
	if (!started)
		return false;
	while (loopback_pending() || acknowledge_local_connections()) {
		delivered = true;
		struct netif *netif;
		NETIF_FOREACH(netif)
		{
			if (!netif->loop_first)
				continue;
			/* Looped-back frames never crossed a wire: a device with
			 * checksum offload sent them with the TCP checksum unset. */
			u16_t saved = netif->chksum_flags;
			netif->chksum_flags &= (u16_t)~NETIF_CHECKSUM_CHECK_TCP;
			netif_poll(netif);
			netif->chksum_flags = saved;
		}
	}
	lwip_timer_arm();
	return delivered;
}

void net_start(void)
{
	if (started)
		return;
	started = true;
	sched_set_idle_work(net_poll); /* loopback traffic still queued may wake a thread */
	lwip_timer.fire = lwip_timer_fire;
	lwip_init();
	devices_probe(DEVICES_NETWORK);
	net_poll();
}

/* "a.b.c.d/prefix" into address and netmask; the prefix defaults to 24. */
static bool parse_ipv4_with_prefix(const char *text, ip4_addr_t *address, ip4_addr_t *netmask)
{
	char copy[64];
	strncpy(copy, text, sizeof copy - 1);
	copy[sizeof copy - 1] = '\0';
	unsigned prefix = 24;
	char *slash = strchr(copy, '/');
	if (slash) {
		*slash = '\0';
		prefix = 0;
		for (const char *d = slash + 1; *d; d++) {
			if (*d < '0' || *d > '9' || prefix > 32)
				return false;
			prefix = prefix * 10 + (unsigned)(*d - '0');
		}
		if (slash[1] == '\0' || prefix > 32)
			return false;
	}
	if (!ip4addr_aton(copy, address))
		return false;
	ip4_addr_set_u32(netmask, lwip_htonl(prefix ? 0xffffffffu << (32 - prefix) : 0));
	return true;
}

bool net_configure_device(struct netif *netif, const char *device_name)
{
	char text[64];
	ip4_addr_t address, netmask, gateway;
	if (!cmdline_get("ip", 0, text, sizeof text))
		return false;
	if (!parse_ipv4_with_prefix(text, &address, &netmask)) {
		kwarn("network: ip=%s on the kernel command line is not ADDRESS/PREFIX; the device stays unconfigured",
		      text);
		return false;
	}
	ip4_addr_set_zero(&gateway);
	if (cmdline_get("gw", 0, text, sizeof text) && !ip4addr_aton(text, &gateway))
		kwarn("network: gw=%s on the kernel command line is not an IPv4 address; no default gateway", text);
	netif_set_addr(netif, &address, &netmask, &gateway);
	klog("network: %s has address %s", device_name, ip4addr_ntoa(&address));
	return true;
}
