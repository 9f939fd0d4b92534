/* Split virtqueues: ring memory, the free list of descriptors, adding
 * chains, kicks and taking back used chains; see virtqueue.h. */
#include "platforms/virtio/virtqueue.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "platforms/virtio/virtio.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_USED_F_NO_NOTIFY 1

/* The three parts in one run of pages: descriptors (16-byte aligned),
 * then the available ring (2), then the used ring (4). */
static size_t avail_offset(unsigned size) { return 16 * size; }
static size_t used_offset(unsigned size) { return (avail_offset(size) + 6 + 2 * size + 3) & ~(size_t)3; }
static size_t ring_pages(unsigned size) { return PAGE_ALIGN_UP(used_offset(size) + 6 + 8 * size) / PAGE_SIZE; }

int virtqueue_init(struct virtqueue *vq, struct virtio_device *dev, unsigned index, unsigned max_size)
{
	unsigned size = dev->transport->queue_max_size(dev, index);
	if (size == 0)
		return -ENODEV;
	if (size > max_size)
		size = max_size;
	while (size & (size - 1)) /* the largest power of two that fits */
		size &= size - 1;
	uint64_t rings = page_alloc(ring_pages(size));
	void **tokens = kzalloc(size * sizeof *tokens);
	if (!rings || !tokens) {
		if (rings)
			page_free(rings, ring_pages(size));
		kfree(tokens);
		return -ENOMEM;
	}
	uint8_t *base = phys_to_virt(rings);
	*vq = (struct virtqueue){
	    .dev = dev,
	    .index = index,
	    .size = size,
	    .desc = (struct virtq_desc *)base,
	    .avail = (struct virtq_avail *)(base + avail_offset(size)),
	    .used = (struct virtq_used *)(base + used_offset(size)),
	    .free_count = size,
	    .tokens = tokens,
	};
	for (unsigned i = 0; i + 1 < size; i++)
		vq->desc[i].next = i + 1;
	int err = dev->transport->queue_start(dev, vq);
	if (err)
		virtqueue_destroy(vq);
	return err;
}

void virtqueue_destroy(struct virtqueue *vq)
{
	page_free(virt_to_phys(vq->desc), ring_pages(vq->size));
	kfree(vq->tokens);
	vq->desc = NULL;
	vq->tokens = NULL;
}

static uint16_t desc_flags(const struct virtq_buffer *b, bool more)
{
	return (b->device_writes ? VIRTQ_DESC_F_WRITE : 0) | (more ? VIRTQ_DESC_F_NEXT : 0);
}

/* Makes the count descriptors from the free head one chain, the first with
 * first_flags added, and offers it. */
static int offer(struct virtqueue *vq, const struct virtq_buffer *buffers, unsigned count, uint16_t first_flags,
                 void *token)
{
	if (count == 0 || count > vq->free_count)
		return -ENOSPC;
	uint16_t head = vq->free_head, i = head;
	for (unsigned k = 0; k < count; k++) {
		struct virtq_desc *d = &vq->desc[i];
		d->addr = buffers[k].phys;
		d->len = buffers[k].len;
		d->flags = desc_flags(&buffers[k], k + 1 < count) | (k ? 0 : first_flags);
		i = d->next; /* the last one's next still leads into the free list */
	}
	vq->free_head = i;
	vq->free_count -= count;
	vq->tokens[head] = token;
	vq->avail->ring[vq->next_avail & (vq->size - 1)] = head;
	/* The descriptors and the ring entry before the index that shows them. */
	__atomic_store_n(&vq->avail->idx, ++vq->next_avail, __ATOMIC_RELEASE);
	return 0;
}

int virtqueue_add(struct virtqueue *vq, const struct virtq_buffer *buffers, unsigned count, void *token)
{
	return offer(vq, buffers, count, 0, token);
}

int virtqueue_add_indirect(struct virtqueue *vq, struct virtq_desc *table, const struct virtq_buffer *buffers,
                           unsigned count, void *token)
{
	for (unsigned k = 0; k < count; k++)
		table[k] = (struct virtq_desc){buffers[k].phys, buffers[k].len, desc_flags(&buffers[k], k + 1 < count),
		                               (uint16_t)(k + 1)};
	struct virtq_buffer whole = {virt_to_phys(table), (uint32_t)(count * sizeof *table), false};
	return offer(vq, &whole, 1, VIRTQ_DESC_F_INDIRECT, token);
}

void virtqueue_kick(struct virtqueue *vq)
{
	/* The index store before the flag load (a store-load order x86 keeps
	 * only with a full fence): else a device about to sleep is missed. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&vq->used->flags, __ATOMIC_RELAXED) & VIRTQ_USED_F_NO_NOTIFY))
		vq->dev->transport->queue_notify(vq->dev, vq);
}

/* Puts the chain starting at head back on the free list. */
static void free_chain(struct virtqueue *vq, uint16_t head)
{
	uint16_t last = head;
	unsigned count = 1;
	while ((vq->desc[last].flags & VIRTQ_DESC_F_NEXT) && count < vq->size) {
		last = vq->desc[last].next;
		count++;
	}
	vq->desc[last].next = vq->free_head;
	vq->free_head = head;
	vq->free_count += count;
}

void *virtqueue_next_used(struct virtqueue *vq, uint32_t *len)
{
	while (vq->last_used != __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE)) {
		struct virtq_used_elem elem = vq->used->ring[vq->last_used & (vq->size - 1)];
		vq->last_used++;
		void *token = elem.id < vq->size ? vq->tokens[elem.id] : NULL;
		if (!token) {
			klog("virtio: %s: queue %u: the device returned descriptor %u, which it does not hold",
			     vq->dev->where, vq->index, elem.id);
			continue;
		}
		vq->tokens[elem.id] = NULL;
		free_chain(vq, elem.id);
		*len = elem.len;
		return token;
	}
	return NULL;
}
