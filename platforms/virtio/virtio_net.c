/* The virtio-net driver (virtio 1.1, 5.1): one receive and one transmit
 * queue, checksum offload both ways, no segmentation offload. It serves
 * the network stack through kernel/net/netdev.h.
 *
 * Receive: every descriptor of the receive queue holds one 2 KiB buffer
 * (the 12-byte header, then up to 2036 bytes of frame), so a buffer that
 * comes back, from the device or from the stack, always finds a free
 * descriptor and is posted again at once: the ring never runs dry.
 * Transmit: a chain of the header and the stack's segments, without
 * copying; chains are reclaimed in the interrupt and on each transmit. */
#include <string.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/net/netdev.h"
#include "kernel/random.h"
#include "libc-glue/kformat.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define VIRTIO_NET_F_CSUM (1ull << 0)
#define VIRTIO_NET_F_GUEST_CSUM (1ull << 1)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)

#define CONFIG_MAC 0
#define CONFIG_STATUS 6
#define STATUS_LINK_UP 1

#define HDR_F_NEEDS_CSUM 1
#define HDR_F_DATA_VALID 2
#define HDR_GSO_NONE 0

#define RECEIVE_QUEUE 0
#define TRANSMIT_QUEUE 1
#define QUEUE_SIZE_LIMIT 256
#define RX_BUFFER_SIZE 2048
#define MIN_RX_BUFFERS 16

struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio 1.1, 5.1.6");

/* A frame in flight: its header and the stack's cookie. */
struct tx_slot {
	struct virtio_net_hdr header;
	void *cookie;
};

struct virtio_net {
	struct netdev netdev;
	struct virtio_device *vdev;
	struct virtqueue rx, tx;
	uint64_t rx_memory; /* physical, rx_buffer_count buffers in a row */
	unsigned rx_buffer_count;
	struct tx_slot *tx_slots;
	struct tx_slot **free_tx_slots; /* a stack of the idle ones */
	unsigned free_tx_slot_count;
	bool reclaiming;
	char name[48];
};

static unsigned device_count;

static size_t rx_memory_pages(unsigned buffers) { return PAGE_ALIGN_UP((size_t)buffers * RX_BUFFER_SIZE) / PAGE_SIZE; }

/* Offers a receive buffer to the device; the kick is the caller's. */
static void post_rx_buffer(struct virtio_net *net, void *buffer)
{
	struct virtq_buffer piece = {virt_to_phys(buffer), RX_BUFFER_SIZE, true};
	if (virtqueue_add(&net->rx, &piece, 1, buffer))
		klog("%s: no descriptor for receive buffer %p (returned twice?)", net->name, buffer);
}

static void receive(struct virtio_net *net)
{
	void *buffer;
	uint32_t len;
	bool posted = false;
	while ((buffer = virtqueue_next_used(&net->rx, &len))) {
		const struct virtio_net_hdr *header = buffer;
		/* NEEDS_CSUM: a frame from the host's own stack, whole and with
		 * its checksum left to do (Linux's CHECKSUM_PARTIAL). */
		bool valid = header->flags & (HDR_F_DATA_VALID | HDR_F_NEEDS_CSUM);
		if (len <= sizeof *header || len > RX_BUFFER_SIZE ||
		    !netdev_receive(&net->netdev, buffer, (uint8_t *)buffer + sizeof *header, len - sizeof *header,
		                    valid)) {
			post_rx_buffer(net, buffer);
			posted = true;
		}
	}
	if (posted)
		virtqueue_kick(&net->rx);
}

static void rx_buffer_return(struct netdev *dev, void *buffer)
{
	struct virtio_net *net = dev->driver_private;
	post_rx_buffer(net, buffer);
	virtqueue_kick(&net->rx);
}

/* Hands the frames the device has sent back to the stack. netdev_tx_done
 * may transmit again, and transmit reclaims: the flag keeps that from
 * recursing once per frame in the ring. */
static void reclaim_tx(struct virtio_net *net)
{
	if (net->reclaiming)
		return;
	net->reclaiming = true;
	struct tx_slot *slot;
	uint32_t len;
	while ((slot = virtqueue_next_used(&net->tx, &len))) {
		void *cookie = slot->cookie;
		net->free_tx_slots[net->free_tx_slot_count++] = slot;
		netdev_tx_done(&net->netdev, cookie);
	}
	net->reclaiming = false;
}

static int transmit(struct netdev *dev, const struct netdev_segment *segments, unsigned count,
                    const struct netdev_tx_csum *csum, void *cookie)
{
	struct virtio_net *net = dev->driver_private;
	bool offload = csum && csum->needed;
	if (count == 0 || count > NETDEV_MAX_SEGMENTS || (offload && !dev->tx_csum_offload))
		return -EINVAL;
	reclaim_tx(net);
	if (!net->free_tx_slot_count || net->tx.free_count < count + 1)
		return -EAGAIN;
	struct tx_slot *slot = net->free_tx_slots[--net->free_tx_slot_count];
	slot->cookie = cookie;
	slot->header = (struct virtio_net_hdr){.gso_type = HDR_GSO_NONE};
	if (offload) {
		slot->header.flags = HDR_F_NEEDS_CSUM;
		slot->header.csum_start = csum->csum_start;
		slot->header.csum_offset = csum->csum_offset;
	}
	struct virtq_buffer pieces[NETDEV_MAX_SEGMENTS + 1] = {
	    {virt_to_phys(&slot->header), sizeof slot->header, false}};
	unsigned used = 1;
	for (unsigned i = 0; i < count; i++)
		if (segments[i].len)
			pieces[used++] = (struct virtq_buffer){virt_to_phys(segments[i].data), segments[i].len, false};
	virtqueue_add(&net->tx, pieces, used, slot); /* room checked above */
	virtqueue_kick(&net->tx);
	return 0;
}

static void interrupt(struct virtio_device *vdev)
{
	struct virtio_net *net = vdev->driver_private;
	reclaim_tx(net);
	receive(net);
}

static const struct netdev_ops virtio_net_ops = {
    .transmit = transmit,
    .rx_buffer_return = rx_buffer_return,
};

/* Buffers for the whole receive queue, in one run of pages: at most a
 * 32nd of the VM's memory, fewer when memory is short, but never so few
 * that the stack would starve. */
static int setup_rx(struct virtio_net *net)
{
	unsigned count = net->rx.size;
	size_t memory_share = page_total_count() * PAGE_SIZE / 32 / RX_BUFFER_SIZE;
	while (count > MIN_RX_BUFFERS && count > memory_share)
		count /= 2;
	while (count >= MIN_RX_BUFFERS && !(net->rx_memory = page_alloc(rx_memory_pages(count))))
		count /= 2;
	if (!net->rx_memory)
		return -ENOMEM;
	net->rx_buffer_count = count;
	uint8_t *buffers = phys_to_virt(net->rx_memory);
	for (unsigned i = 0; i < count; i++)
		post_rx_buffer(net, buffers + i * RX_BUFFER_SIZE);
	return 0;
}

/* A slot for every frame that fits: each takes at least two descriptors. */
static int setup_tx(struct virtio_net *net)
{
	unsigned count = net->tx.size / 2;
	net->tx_slots = kzalloc(count * sizeof *net->tx_slots);
	net->free_tx_slots = kzalloc(count * sizeof *net->free_tx_slots);
	if (!net->tx_slots || !net->free_tx_slots)
		return -ENOMEM;
	for (unsigned i = 0; i < count; i++)
		net->free_tx_slots[i] = &net->tx_slots[i];
	net->free_tx_slot_count = count;
	return 0;
}

static void read_mac(struct virtio_net *net, uint64_t features)
{
	if (features & VIRTIO_NET_F_MAC) {
		for (unsigned i = 0; i < 6; i++)
			net->netdev.mac[i] = net->vdev->transport->read_config(net->vdev, CONFIG_MAC + i, 1);
		return;
	}
	random_fill(net->netdev.mac, 6);
	net->netdev.mac[0] = (net->netdev.mac[0] & 0xfe) | 0x02; /* unicast, locally administered */
}

static void free_net(struct virtio_net *net)
{
	if (net->rx.desc)
		virtqueue_destroy(&net->rx);
	if (net->tx.desc)
		virtqueue_destroy(&net->tx);
	if (net->rx_memory)
		page_free(net->rx_memory, rx_memory_pages(net->rx_buffer_count));
	kfree(net->tx_slots);
	kfree(net->free_tx_slots);
	kfree(net);
}

int virtio_net_probe(struct virtio_device *vdev)
{
	struct virtio_net *net = kzalloc(sizeof *net);
	if (!net)
		return -ENOMEM;
	net->vdev = vdev;
	vdev->driver_private = net;
	vdev->interrupt = interrupt;
	uint64_t features = 0;
	int err = virtio_negotiate(vdev,
	                           VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC | VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM |
	                               VIRTIO_NET_F_STATUS,
	                           &features);
	if (!err)
		err = vdev->transport->interrupt_start(vdev);
	if (!err)
		err = virtqueue_init(&net->rx, vdev, RECEIVE_QUEUE, QUEUE_SIZE_LIMIT);
	if (!err)
		err = virtqueue_init(&net->tx, vdev, TRANSMIT_QUEUE, QUEUE_SIZE_LIMIT);
	if (!err)
		err = setup_rx(net);
	if (!err)
		err = setup_tx(net);
	if (err) {
		klog("virtio-net: %s: cannot start the device (error %d); skipped", vdev->where, err);
		virtio_abandon(vdev);
		vdev->interrupt = NULL;
		free_net(net);
		return err;
	}

	ksnprintf(net->name, sizeof net->name, "virtio-net%u (%s)", device_count++, vdev->where);
	net->netdev = (struct netdev){
	    .ops = &virtio_net_ops,
	    .name = net->name,
	    .mtu = 1500,
	    .tx_csum_offload = features & VIRTIO_NET_F_CSUM,
	    .rx_buffers = net->rx_buffer_count,
	    .driver_private = net,
	};
	read_mac(net, features);
	bool link_up = !(features & VIRTIO_NET_F_STATUS) ||
	               (vdev->transport->read_config(vdev, CONFIG_STATUS, 2) & STATUS_LINK_UP);
	const uint8_t *mac = net->netdev.mac;
	klog("%s: mac %02x:%02x:%02x:%02x:%02x:%02x, %u receive buffers, checksum offload tx %s rx %s, link %s",
	     net->name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], net->rx_buffer_count,
	     features & VIRTIO_NET_F_CSUM ? "on" : "off", features & VIRTIO_NET_F_GUEST_CSUM ? "on" : "off",
	     link_up ? "up" : "down");
	virtio_driver_ok(vdev);
	virtqueue_kick(&net->rx);
	netdev_register(&net->netdev);
	return 0;
}
