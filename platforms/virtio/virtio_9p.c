/* The virtio-9p driver (device type 9; QEMU's virtio-9p-device and
 * virtio-9p-pci): one request queue carrying whole 9P messages, each a
 * chain of the request buffer and the reply buffer. It serves the volumes
 * as a channel (kernel/fs/ninep.h), named by the device's mount tag.
 *
 * A request is waited for by polling the used ring, with the device's
 * interrupts turned off: the kernel is not preempted, and a file-system
 * call finishes before another starts, so there is one request in flight. */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/ninep.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define VIRTIO_9P_F_MOUNT_TAG (1ull << 0)
#define CONFIG_TAG_LEN 0
#define CONFIG_TAG 2
#define TAG_MAX 64
#define REQUEST_QUEUE 0
#define QUEUE_SIZE_LIMIT 16
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
/* msize: 512 KiB of data in one Tread or Twrite, plus the header. */
#define MESSAGE_PAGES 129

struct virtio_9p {
	struct ninep_channel channel;
	struct virtio_device *vdev;
	struct virtqueue vq;
	char tag[TAG_MAX + 1];
};

static int transact(struct ninep_channel *c, uint32_t len, uint32_t *got)
{
	struct virtio_9p *dev = (struct virtio_9p *)c;
	struct virtq_buffer chain[2] = {
	    {virt_to_phys(c->request), len, false},
	    {virt_to_phys(c->reply), c->max_message, true},
	};
	if (virtqueue_add(&dev->vq, chain, 2, dev))
		return -EIO;
	virtqueue_kick(&dev->vq);
	while (!virtqueue_next_used(&dev->vq, got))
		cpu_relax();
	return 0;
}

static void read_tag(struct virtio_9p *dev)
{
	const struct virtio_transport *t = dev->vdev->transport;
	unsigned len = t->read_config(dev->vdev, CONFIG_TAG_LEN, 2);
	if (len > TAG_MAX)
		len = TAG_MAX;
	for (unsigned i = 0; i < len; i++)
		dev->tag[i] = (char)t->read_config(dev->vdev, CONFIG_TAG + i, 1);
	dev->tag[len] = 0;
}

static void free_9p(struct virtio_9p *dev)
{
	if (dev->vq.desc)
		virtqueue_destroy(&dev->vq);
	if (dev->channel.request)
		page_free(virt_to_phys(dev->channel.request), MESSAGE_PAGES);
	if (dev->channel.reply)
		page_free(virt_to_phys(dev->channel.reply), MESSAGE_PAGES);
	kfree(dev);
}

static int alloc_buffers(struct virtio_9p *dev)
{
	uint64_t request = page_alloc(MESSAGE_PAGES), reply = page_alloc(MESSAGE_PAGES);
	dev->channel.request = request ? phys_to_virt(request) : NULL;
	dev->channel.reply = reply ? phys_to_virt(reply) : NULL;
	dev->channel.max_message = MESSAGE_PAGES * PAGE_SIZE;
	return request && reply ? 0 : -ENOMEM;
}

int virtio_9p_probe(struct virtio_device *vdev)
{
	struct virtio_9p *dev = kzalloc(sizeof *dev);
	if (!dev)
		return -ENOMEM;
	dev->vdev = vdev;
	vdev->driver_private = dev;
	uint64_t features = 0;
	int err = virtio_negotiate(vdev, VIRTIO_F_VERSION_1 | VIRTIO_9P_F_MOUNT_TAG, &features);
	if (!err && !(features & VIRTIO_9P_F_MOUNT_TAG))
		err = -ENODEV;
	/* The transport wants an interrupt set up before the queue (virtio-pci
	 * names its vector there); the handler stays NULL, as nothing waits. */
	if (!err)
		err = vdev->transport->interrupt_start(vdev);
	if (!err)
		err = virtqueue_init(&dev->vq, vdev, REQUEST_QUEUE, QUEUE_SIZE_LIMIT);
	if (!err)
		err = alloc_buffers(dev);
	if (err) {
		klog("virtio-9p: %s: cannot start the device (error %d); skipped", vdev->where, err);
		virtio_abandon(vdev);
		free_9p(dev);
		return err;
	}
	dev->vq.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	read_tag(dev);
	dev->channel.tag = dev->tag;
	dev->channel.transact = transact;
	virtio_driver_ok(vdev);
	ninep_channel_register(&dev->channel);
	klog("virtio-9p: %s: mount tag %s", vdev->where, dev->tag);
	return 0;
}
