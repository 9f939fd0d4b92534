/* A network device as the network stack sees it. A driver (virtio-net on
 * PCI or MMIO) fills in a struct netdev and calls netdev_register; the
 * stack (kernel/net/, over lwIP) hands it frames to send and takes the frames
 * it receives. Neither side sees the other's internals: the driver knows no
 * lwIP, the stack knows no virtio.
 *
 * Everything here runs with interrupts off (the kernel is not preemptible,
 * and device interrupts arrive only while the CPU is in ring 3 or idle), so
 * neither side needs a lock. */
#ifndef SOLE_NETDEV_H
#define SOLE_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETDEV_MAX_SEGMENTS 16

/* A piece of a frame to send, in kernel memory (the direct map or the
 * kernel image, so that virt_to_phys gives the device its address). */
struct netdev_segment {
	const void *data;
	size_t len;
};

/* Checksum offload for one frame to send (Linux's CHECKSUM_PARTIAL): the
 * device computes the Internet checksum from csum_start to the frame's end
 * and stores it at csum_start + csum_offset, where the stack has placed the
 * pseudo-header sum. */
struct netdev_tx_csum {
	bool needed;
	uint16_t csum_start;
	uint16_t csum_offset;
};

struct netdev;

struct netdev_ops {
	/* Queues one Ethernet frame (without the virtio header). The segments
	 * must stay valid until the driver calls netdev_tx_done(dev, cookie).
	 * Returns 0, or -EAGAIN when the device has no room now (the stack
	 * keeps the frame and retries after the next netdev_tx_done). */
	int (*transmit)(struct netdev *dev, const struct netdev_segment *segments, unsigned count,
			const struct netdev_tx_csum *csum, void *cookie);
	/* Gives a receive buffer the stack took with netdev_receive(keep=true)
	 * back to the driver, which posts it to the device again at once. */
	void (*rx_buffer_return)(struct netdev *dev, void *buffer);
};

struct netdev {
	const struct netdev_ops *ops;
	const char *name; /* "virtio-net0 (pci 00:03.0)", for the log */
	uint8_t mac[6];
	uint16_t mtu;		 /* 1500 unless the device says otherwise */
	bool tx_csum_offload;	 /* the device accepts netdev_tx_csum (VIRTIO_NET_F_CSUM) */
	unsigned rx_buffers;	 /* how many receive buffers the driver posts; the stack
				  * keeps at most half of them at any time */
	void *stack_private;	 /* the stack's own use */
	void *driver_private;	 /* the driver's own use */
};

/* The driver's calls into the stack. */

/* A device is ready: the stack attaches it (the first one becomes the
 * default route). */
void netdev_register(struct netdev *dev);

/* One received frame (without the virtio header) in a driver buffer.
 * data_valid: the device checked the transport checksum (virtio's
 * VIRTIO_NET_HDR_F_DATA_VALID). Returns true when the stack keeps the buffer
 * without copying (it hands it back later with ops->rx_buffer_return), false
 * when it copied the frame or dropped it and the driver may repost the buffer
 * at once. The stack copies instead of keeping when it already holds half of
 * the driver's buffers (rx_buffers), so the receive ring never runs dry. */
bool netdev_receive(struct netdev *dev, void *buffer, const void *frame, size_t len, bool data_valid);

/* A frame queued with ops->transmit has left; its segments may be freed. */
void netdev_tx_done(struct netdev *dev, void *cookie);

#endif
