/* A split virtqueue (virtio 1.1, 2.6): the descriptor table, the available
 * ring the driver fills and the used ring the device fills, in memory the
 * device reaches by physical address. Each chain of descriptors carries a
 * token (the driver's pointer) that comes back when the device is done. */
#ifndef SOLE_VIRTQUEUE_H
#define SOLE_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct virtio_device;

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

struct virtqueue {
	struct virtio_device *dev;
	unsigned index;
	uint16_t size; /* a power of two */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t free_head; /* the free descriptors, chained through next */
	uint16_t free_count;
	uint16_t next_avail;            /* our copy of avail->idx */
	uint16_t last_used;             /* the used entries taken so far */
	void **tokens;                  /* by the chain's first descriptor */
	volatile void *notify_register; /* the transport's doorbell, if per queue */
};

/* One piece of a chain: read by the device, or written by it. */
struct virtq_buffer {
	uint64_t phys;
	uint32_t len;
	bool device_writes;
};

/* Sets up queue index of dev with up to max_size entries and starts it
 * on the transport. Returns 0, -ENODEV when the device lacks the queue,
 * -ENOMEM, or the transport's error. */
int virtqueue_init(struct virtqueue *vq, struct virtio_device *dev, unsigned index, unsigned max_size);
/* Frees the queue's memory; only once the device is reset. */
void virtqueue_destroy(struct virtqueue *vq);

/* Makes count buffers one chain and offers it to the device. Returns 0, or
 * -ENOSPC when fewer than count descriptors are free. */
int virtqueue_add(struct virtqueue *vq, const struct virtq_buffer *buffers, unsigned count, void *token);
/* The same chain through a table of count descriptors the caller owns
 * (VIRTIO_F_INDIRECT_DESC): it takes one descriptor of the queue, however
 * long. The table must stay until the chain comes back used. */
int virtqueue_add_indirect(struct virtqueue *vq, struct virtq_desc *table, const struct virtq_buffer *buffers,
                           unsigned count, void *token);
/* Tells the device about the chains added, unless it asked not to be told. */
void virtqueue_kick(struct virtqueue *vq);
/* The token of the next chain the device has finished with, and in *len
 * how many bytes it wrote; NULL when there is none. */
void *virtqueue_next_used(struct virtqueue *vq, uint32_t *len);

#endif
