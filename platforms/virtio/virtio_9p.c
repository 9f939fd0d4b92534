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
/* The virtio-9p driver (device type 9; QEMU's virtio-9p-device and
 * virtio-9p-pci): one request queue carrying whole 9P messages, each a
 * chain of the request buffer and the reply buffer, with the pieces of a
 * Twrite's data after the request or of a Tread's after the reply. It
 * serves the volumes as a channel (kernel/fs/ninep.h), named by the
 * device's mount tag. A chain of pieces goes through an indirect table
 * (QEMU's queue has 128 entries; a 1 MiB read may take 257 pages). As
 * data travels beside the messages, a request needs no more than names
 * (Tsymlink's two); a reply takes up to msize (Treaddir) in the one large
 * slot, and NINEP_SMALL_REPLY in the others.
 *
 * Requests in flight: one per slot of a small pool, each with its own
 * tag, buffers and indirect table, matched to its completion by the
 * chain's token. A caller waits for its reply by polling the used ring
 * while no other thread is ready (under TCG that is faster than an
 * interrupt), and sleeps on its slot while one is, with the device's
 * interrupts on; whoever polls, and the interrupt, take every completion
 * and wake the sleepers. A caller that finds every slot busy sleeps until
 * one comes back. The kernel runs with interrupts off and gives the CPU up
 * only when it blocks, so the interrupt never runs inside these steps.
 * Waits are not broken by signals. */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/ninep.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/wait.h"
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
#define LARGE_REPLY_PAGES 257
#define SMALL_REPLY_PAGES (NINEP_SMALL_REPLY / PAGE_SIZE)
#define REQUEST_PAGES 2
#define TABLE_PAGES 2
/* With indirect tables a request takes one or two descriptors of the
 * queue: 8 fill QEMU's 16. Without, one at a time, as a chain of pieces
 * may take the whole queue. */
#define SLOTS_MAX 8

#define CHAIN_MAX (NINEP_PIECES_MAX + 2)
_Static_assert(CHAIN_MAX * sizeof(struct virtq_desc) <= TABLE_PAGES * PAGE_SIZE, "the indirect table fits");
_Static_assert(SMALL_REPLY_PAGES * PAGE_SIZE == NINEP_SMALL_REPLY, "small replies take whole pages");

struct slot {
	struct ninep_slot s;
	struct virtq_desc *table; /* the indirect table */
	struct virtq_buffer chain[CHAIN_MAX];
	struct wait_queue replied; /* its sender, asleep */
	bool busy, done;
	uint32_t got; /* bytes the device wrote, once done */
};

struct virtio_9p {
	struct ninep_channel channel;
	struct virtio_device *vdev;
	struct virtqueue vq;
	bool indirect;            /* VIRTIO_F_INDIRECT_DESC accepted */
	struct slot *slots;       /* slots[0] is the large one */
	unsigned slot_count;
	struct wait_queue slot_freed; /* callers waiting for a slot */
	unsigned sleepers;        /* callers asleep on a reply */
	char tag[TAG_MAX + 1];
};

static struct virtio_9p *dev_of(struct ninep_channel *c) { return (struct virtio_9p *)c; }

/* A free slot: the large one only when asked for, or when no other is free. */
static struct slot *free_slot(struct virtio_9p *dev, bool large)
{
	for (unsigned i = dev->slot_count; i-- > 0;)
		if (!dev->slots[i].busy && (i == 0 || !large))
			return &dev->slots[i];
	return NULL;
}

static struct ninep_slot *slot_take(struct ninep_channel *c, bool large)
{
	struct virtio_9p *dev = dev_of(c);
	struct slot *s;
	while (!(s = free_slot(dev, large)))
		wait_on(&dev->slot_freed, 0);
	s->busy = true;
	return &s->s;
}

static void slot_give(struct ninep_channel *c, struct ninep_slot *ns)
{
	struct virtio_9p *dev = dev_of(c);
	((struct slot *)ns)->busy = false;
	wait_wake(&dev->slot_freed, __INT_MAX__, ~0u); /* all look again: some want the large one */
}

/* Takes every chain the device is done with and tells its sender. */
static void reap(struct virtio_9p *dev)
{
	struct slot *s;
	uint32_t got;
	while ((s = virtqueue_next_used(&dev->vq, &got))) {
		s->got = got;
		s->done = true;
		wait_wake(&s->replied, 1, ~0u);
	}
}

static void interrupt(struct virtio_device *vdev) { reap(vdev->driver_private); }

/* Sleeps until s is done, with the device's interrupts on while anyone
 * sleeps; the used ring is looked at again once they are on, as a chain
 * finished before then raised none. */
static void sleep_for(struct virtio_9p *dev, struct slot *s)
{
	if (dev->sleepers++ == 0)
		dev->vq.avail->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	reap(dev);
	sched_external_wait(+1);
	while (!s->done)
		wait_on(&s->replied, 0); /* a signal does not end the wait */
	sched_external_wait(-1);
	if (--dev->sleepers == 0)
		dev->vq.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

/* Waits for s's reply: polls while no other thread is ready to run, as
 * sleeping would only idle; sleeps (when the caller may) once one is. */
static void await(struct virtio_9p *dev, struct slot *s, bool may_sleep)
{
	for (;;) {
		reap(dev);
		if (s->done)
			return;
		if (may_sleep && sched_others_ready()) {
			sleep_for(dev, s);
			return;
		}
		cpu_relax();
	}
}

static unsigned add_pieces(struct slot *s, unsigned n, unsigned count, bool device_writes)
{
	for (unsigned i = 0; i < count; i++)
		s->chain[n++] = (struct virtq_buffer){s->s.pieces[i].phys, s->s.pieces[i].len, device_writes};
	return n;
}

static int transact(struct ninep_channel *c, struct ninep_slot *ns, uint32_t len, uint32_t room, unsigned count,
                    bool pieces_in, bool may_sleep, uint32_t *got)
{
	struct virtio_9p *dev = dev_of(c);
	struct slot *s = (struct slot *)ns;
	unsigned n = 0;
	s->chain[n++] = (struct virtq_buffer){virt_to_phys(ns->request), len, false};
	n = pieces_in ? n : add_pieces(s, n, count, false);
	s->chain[n++] = (struct virtq_buffer){virt_to_phys(ns->reply), room, true};
	n = pieces_in ? add_pieces(s, n, count, true) : n;
	s->done = false;
	int err = count && dev->indirect ? virtqueue_add_indirect(&dev->vq, s->table, s->chain, n, s)
	                                 : virtqueue_add(&dev->vq, s->chain, n, s);
	if (err)
		return -EIO;
	virtqueue_kick(&dev->vq);
	await(dev, s, may_sleep);
	*got = s->got;
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

static void free_slot_memory(struct slot *s, uint32_t reply_pages)
{
	if (s->s.request)
		page_free(virt_to_phys(s->s.request), REQUEST_PAGES);
	if (s->s.reply)
		page_free(virt_to_phys(s->s.reply), reply_pages);
	if (s->table)
		page_free(virt_to_phys(s->table), TABLE_PAGES);
}

static void free_9p(struct virtio_9p *dev)
{
	if (dev->vq.desc)
		virtqueue_destroy(&dev->vq);
	for (unsigned i = 0; dev->slots && i < dev->slot_count; i++)
		free_slot_memory(&dev->slots[i], i ? SMALL_REPLY_PAGES : LARGE_REPLY_PAGES);
	kfree(dev->slots);
	kfree(dev);
}

static int alloc_slot(struct slot *s, uint16_t tag, uint32_t reply_pages)
{
	uint64_t request = page_alloc(REQUEST_PAGES), reply = page_alloc(reply_pages), table = page_alloc(TABLE_PAGES);
	s->s.request = request ? phys_to_virt(request) : NULL;
	s->s.reply = reply ? phys_to_virt(reply) : NULL;
	s->table = table ? phys_to_virt(table) : NULL;
	s->s.reply_room = reply_pages * PAGE_SIZE;
	s->s.tag = tag;
	return request && reply && table ? 0 : -ENOMEM;
}

static int alloc_slots(struct virtio_9p *dev)
{
	unsigned count = dev->indirect ? dev->vq.size / 2 : 1;
	dev->slot_count = count < SLOTS_MAX ? count : SLOTS_MAX;
	dev->slots = kzalloc(dev->slot_count * sizeof *dev->slots);
	if (!dev->slots)
		return -ENOMEM;
	int err = 0;
	for (unsigned i = 0; !err && i < dev->slot_count; i++)
		err = alloc_slot(&dev->slots[i], (uint16_t)(i + 1), i ? SMALL_REPLY_PAGES : LARGE_REPLY_PAGES);
	dev->channel.max_request = REQUEST_PAGES * PAGE_SIZE;
	dev->channel.max_message = LARGE_REPLY_PAGES * PAGE_SIZE;
	unsigned direct = dev->vq.size - 2u; /* beside the request and the reply */
	dev->channel.max_pieces = dev->indirect || direct > NINEP_PIECES_MAX ? NINEP_PIECES_MAX : direct;
	return err;
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
	 * names its vector there). */
	vdev->interrupt = interrupt;
	if (!err)
		err = vdev->transport->interrupt_start(vdev);
	if (!err)
		err = virtqueue_init(&dev->vq, vdev, REQUEST_QUEUE, QUEUE_SIZE_LIMIT);
	if (!err)
		err = alloc_slots(dev);
	if (err) {
		vdev->interrupt = NULL;
		klog("virtio-9p: %s: cannot start the device (error %d); skipped", vdev->where, err);
		virtio_abandon(vdev);
		free_9p(dev);
		return err;
	}
	dev->vq.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	read_tag(dev);
	dev->channel.tag = dev->tag;
	dev->channel.slot_take = slot_take;
	dev->channel.slot_give = slot_give;
	dev->channel.transact = transact;
	virtio_driver_ok(vdev);
	ninep_channel_register(&dev->channel);
	klog("virtio-9p: %s: mount tag %s", vdev->where, dev->tag);
	return 0;
}
