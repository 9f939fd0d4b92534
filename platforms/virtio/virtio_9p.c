/* The virtio-9p driver (device type 9; QEMU's virtio-9p-device and
 * virtio-9p-pci): one request queue carrying whole 9P messages, each a
 * chain of the request buffer and the reply buffer, with the pieces of a
 * Twrite's data after the request or of a Tread's after the reply. It
 * serves the volumes as a channel (kernel/fs/ninep.h), named by the
 * device's mount tag. A chain of pieces goes through an indirect table
 * (QEMU's queue has 128 entries; a 1 MiB read may take 257 pages). As
 * data travels beside the messages, a request needs no more than names
 * (Tsymlink's two); a reply takes up to msize (Treaddir).
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
/* msize: 1 MiB of entries in one Rreaddir, plus the header. */
#define REPLY_PAGES 257
#define REQUEST_PAGES 2
#define TABLE_PAGES 2

#define CHAIN_MAX (NINEP_PIECES_MAX + 2)
_Static_assert(CHAIN_MAX * sizeof(struct virtq_desc) <= TABLE_PAGES * PAGE_SIZE, "the indirect table fits");

struct virtio_9p {
	struct ninep_channel channel;
	struct virtio_device *vdev;
	struct virtqueue vq;
	bool indirect;               /* VIRTIO_F_INDIRECT_DESC accepted */
	struct virtq_desc *table;    /* the indirect table, a page */
	struct virtq_buffer chain[CHAIN_MAX];
	char tag[TAG_MAX + 1];
};

static unsigned add_pieces(struct virtio_9p *dev, unsigned n, const struct ninep_piece *pieces, unsigned count,
                           bool device_writes)
{
	for (unsigned i = 0; i < count; i++)
		dev->chain[n++] = (struct virtq_buffer){pieces[i].phys, pieces[i].len, device_writes};
	return n;
}

static int transact(struct ninep_channel *c, uint32_t len, uint32_t room, const struct ninep_piece *pieces,
                    unsigned count, bool pieces_in, uint32_t *got)
{
	struct virtio_9p *dev = (struct virtio_9p *)c;
	unsigned n = 0;
	dev->chain[n++] = (struct virtq_buffer){virt_to_phys(c->request), len, false};
	n = pieces_in ? n : add_pieces(dev, n, pieces, count, false);
	dev->chain[n++] = (struct virtq_buffer){virt_to_phys(c->reply), room, true};
	n = pieces_in ? add_pieces(dev, n, pieces, count, true) : n;
	int err = count && dev->indirect ? virtqueue_add_indirect(&dev->vq, dev->table, dev->chain, n, dev)
	                                 : virtqueue_add(&dev->vq, dev->chain, n, dev);
	if (err)
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
		page_free(virt_to_phys(dev->channel.request), REQUEST_PAGES);
	if (dev->channel.reply)
		page_free(virt_to_phys(dev->channel.reply), REPLY_PAGES);
	if (dev->table)
		page_free(virt_to_phys(dev->table), TABLE_PAGES);
	kfree(dev);
}

static int alloc_buffers(struct virtio_9p *dev)
{
	uint64_t request = page_alloc(REQUEST_PAGES), reply = page_alloc(REPLY_PAGES), table = page_alloc(TABLE_PAGES);
	dev->channel.request = request ? phys_to_virt(request) : NULL;
	dev->channel.reply = reply ? phys_to_virt(reply) : NULL;
	dev->table = table ? phys_to_virt(table) : NULL;
	dev->channel.max_request = REQUEST_PAGES * PAGE_SIZE;
	dev->channel.max_message = REPLY_PAGES * PAGE_SIZE;
	unsigned direct = dev->vq.size - 2u; /* beside the request and the reply */
	dev->channel.max_pieces = dev->indirect || direct > NINEP_PIECES_MAX ? NINEP_PIECES_MAX : direct;
	return request && reply && table ? 0 : -ENOMEM;
}

int virtio_9p_probe(struct virtio_device *vdev)
{
	struct virtio_9p *dev = kzalloc(sizeof *dev);
	if (!dev)
		return -ENOMEM;
	dev->vdev = vdev;
	vdev->driver_private = dev;
	uint64_t features = 0;
	int err = virtio_negotiate(vdev, VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC | VIRTIO_9P_F_MOUNT_TAG, &features);
	if (!err && !(features & VIRTIO_9P_F_MOUNT_TAG))
		err = -ENODEV;
	dev->indirect = features & VIRTIO_F_INDIRECT_DESC;
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
