/* The stack's side of kernel/net/netdev.h: each registered device becomes
 * an lwIP netif. Received frames enter lwIP in the driver's own buffers
 * when they can (a custom pbuf lent until lwIP frees it), or as a copy when
 * the stack already holds half of the driver's buffers, so the receive ring
 * never runs dry. Frames to send go out as the pbuf chain's own segments;
 * the chain is held until the device says it has left, and frames the
 * device has no room for wait in a queue that each completion drains. */
#include <string.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/net/net.h"
#include "kernel/net/netdev.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/prot/ip.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#define TX_QUEUE_MAX 1024 /* frames waiting for room in the device */

/* A driver receive buffer lent to lwIP. */
struct rx_loan {
	struct pbuf_custom custom; /* first: lwIP's free function gets its address */
	struct device_link *link;
	void *buffer;
	struct rx_loan *next_free;
};

/* A frame waiting for the device to have room. */
struct pending_frame {
	struct pbuf *p; /* referenced */
	struct pending_frame *next;
};

struct device_link {
	struct netif netif;
	struct netdev *dev;
	unsigned rx_lent;	    /* receive buffers lwIP holds now */
	struct rx_loan *free_loans; /* loan records for reuse */
	struct pending_frame *tx_head, *tx_tail;
	unsigned tx_queued;
};

/* --- Sending --- */

static uint32_t sum_words(const uint8_t *bytes, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)bytes[i] << 8 | bytes[i + 1];
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* For a TCP segment of a device with checksum offload (lwIP left the
 * checksum field 0): places the pseudo-header sum and says where the device
 * must put the checksum. Other frames need nothing. */
static void prepare_checksum_offload(struct pbuf *p, struct netdev_tx_csum *csum)
{
	csum->needed = false;
	uint8_t *frame = p->payload;
	if (p->len < 14)
		return;
	uint16_t ethertype = (uint16_t)(frame[12] << 8 | frame[13]);
	size_t ip_start = 14, tcp_start;
	uint32_t sum;
	if (ethertype == ETHTYPE_IP) {
		const uint8_t *ip = frame + ip_start;
		if (p->len < ip_start + 20 || ip[9] != IP_PROTO_TCP)
			return;
		size_t header_len = (size_t)(ip[0] & 0x0f) * 4;
		size_t total_len = (size_t)(ip[2] << 8 | ip[3]);
		tcp_start = ip_start + header_len;
		sum = sum_words(ip + 12, 8, 0) + IP_PROTO_TCP + (uint32_t)(total_len - header_len);
	} else if (ethertype == ETHTYPE_IPV6) {
		const uint8_t *ip = frame + ip_start;
		if (p->len < ip_start + 40 || ip[6] != IP_PROTO_TCP)
			return;
		tcp_start = ip_start + 40;
		sum = sum_words(ip + 8, 32, 0) + IP_PROTO_TCP + (uint32_t)(ip[4] << 8 | ip[5]);
	} else {
		return;
	}
	if (p->len < tcp_start + 18)
		return; /* lwIP always builds the headers in the first pbuf */
	uint16_t pseudo = fold(sum);
	frame[tcp_start + 16] = (uint8_t)(pseudo >> 8);
	frame[tcp_start + 17] = (uint8_t)pseudo;
	*csum = (struct netdev_tx_csum){.needed = true, .csum_start = (uint16_t)tcp_start, .csum_offset = 16};
}

/* Hands one frame to the device: 0, or -EAGAIN (nothing kept). */
static int transmit_frame(struct device_link *link, struct pbuf *p)
{
	struct netdev *dev = link->dev;
	struct netdev_tx_csum csum = {0};
	if (dev->tx_csum_offload)
		prepare_checksum_offload(p, &csum);
	if (pbuf_clen(p) > NETDEV_MAX_SEGMENTS) {
		struct pbuf *flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!flat)
			return -ENOMEM;
		p = flat;
	} else {
		pbuf_ref(p);
	}
	struct netdev_segment segments[NETDEV_MAX_SEGMENTS];
	unsigned count = 0;
	for (struct pbuf *q = p; q; q = q->next)
		if (q->len)
			segments[count++] = (struct netdev_segment){q->payload, q->len};
	int err = dev->ops->transmit(dev, segments, count, &csum, p);
	if (err)
		pbuf_free(p);
	return err;
}

static bool queue_frame(struct device_link *link, struct pbuf *p)
{
	struct pending_frame *pending;
	if (link->tx_queued >= TX_QUEUE_MAX || !(pending = kmalloc(sizeof *pending)))
		return false;
	pbuf_ref(p);
	pending->p = p;
	pending->next = NULL;
	if (link->tx_tail)
		link->tx_tail->next = pending;
	else
		link->tx_head = pending;
	link->tx_tail = pending;
	link->tx_queued++;
	return true;
}

/* Sends queued frames, oldest first, until the device is full again. */
static void drain_queue(struct device_link *link)
{
	struct pending_frame *pending;
	while ((pending = link->tx_head) != NULL) {
		if (transmit_frame(link, pending->p) == -EAGAIN)
			return;
		link->tx_head = pending->next;
		if (!link->tx_head)
			link->tx_tail = NULL;
		link->tx_queued--;
		pbuf_free(pending->p);
		kfree(pending);
	}
}

static err_t link_output(struct netif *netif, struct pbuf *p)
{
	struct device_link *link = netif->state;
	if (!link->tx_head) {
		int err = transmit_frame(link, p);
		if (err != -EAGAIN)
			return err ? ERR_MEM : ERR_OK;
	}
	/* Behind frames already waiting, or the device is full: keep the order. */
	return queue_frame(link, p) ? ERR_OK : ERR_MEM;
}

void netdev_tx_done(struct netdev *dev, void *cookie)
{
	pbuf_free(cookie);
	drain_queue(dev->stack_private);
}

/* --- Receiving --- */

static void rx_loan_end(struct pbuf *p)
{
	struct rx_loan *loan = (struct rx_loan *)p;
	struct device_link *link = loan->link;
	link->rx_lent--;
	link->dev->ops->rx_buffer_return(link->dev, loan->buffer);
	loan->next_free = link->free_loans;
	link->free_loans = loan;
}

/* The frame as a pbuf lent from the driver's buffer, or NULL when the stack
 * holds enough of them already. */
static struct pbuf *lend_buffer(struct device_link *link, void *buffer, const void *frame, size_t len)
{
	if (link->rx_lent >= link->dev->rx_buffers / 2)
		return NULL;
	struct rx_loan *loan = link->free_loans;
	if (loan)
		link->free_loans = loan->next_free;
	else if (!(loan = kmalloc(sizeof *loan)))
		return NULL;
	loan->link = link;
	loan->buffer = buffer;
	loan->custom.custom_free_function = rx_loan_end;
	link->rx_lent++;
	return pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &loan->custom, (void *)frame, (u16_t)len);
}

bool netdev_receive(struct netdev *dev, void *buffer, const void *frame, size_t len, bool data_valid)
{
	struct device_link *link = dev->stack_private;
	if (len > 0xffff)
		return false;
	struct pbuf *p = lend_buffer(link, buffer, frame, len);
	bool lent = p != NULL;
	if (!p) {
		p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
		if (!p)
			return false; /* out of memory: dropped, as a full queue would */
		pbuf_take(p, frame, (u16_t)len);
	}
	struct netif *netif = &link->netif;
	u16_t saved = netif->chksum_flags;
	if (data_valid)
		netif->chksum_flags &= (u16_t)~(NETIF_CHECKSUM_CHECK_TCP | NETIF_CHECKSUM_CHECK_UDP);
	if (netif->input(p, netif) != ERR_OK)
		pbuf_free(p);
	netif->chksum_flags = saved;
	net_poll();
	return lent;
}

/* --- Attaching a device --- */

static err_t link_init(struct netif *netif)
{
	struct device_link *link = netif->state;
	struct netdev *dev = link->dev;
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, dev->mac, ETH_HWADDR_LEN);
	netif->mtu = dev->mtu ? dev->mtu : 1500;
	netif->mtu6 = netif->mtu;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = link_output;
	/* With offload the device computes TCP checksums (netdev_tx_csum). */
	NETIF_SET_CHECKSUM_CTRL(netif, dev->tx_csum_offload ? NETIF_CHECKSUM_ENABLE_ALL & ~NETIF_CHECKSUM_GEN_TCP
							    : NETIF_CHECKSUM_ENABLE_ALL);
	return ERR_OK;
}

void netdev_register(struct netdev *dev)
{
	struct device_link *link = kzalloc(sizeof *link);
	if (!link) {
		kwarn("network: out of memory attaching %s; it stays unused", dev->name);
		return;
	}
	link->dev = dev;
	dev->stack_private = link;
	if (!netif_add(&link->netif, NULL, NULL, NULL, link, link_init, ethernet_input)) {
		kwarn("network: lwIP refused %s; it stays unused", dev->name);
		dev->stack_private = NULL;
		kfree(link);
		return;
	}
	struct netif *netif = &link->netif;
	if (net_configure_device(netif, dev->name) && !netif_default)
		netif_set_default(netif);
	netif_create_ip6_linklocal_address(netif, 1);
	netif_set_ip6_autoconfig_enabled(netif, 1);
	netif_set_link_up(netif);
	netif_set_up(netif);
	net_poll();
	klog("network: %s is up (mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u%s)", dev->name, dev->mac[0], dev->mac[1],
	     dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], netif->mtu,
	     dev->tx_csum_offload ? ", checksum offload" : "");
}
