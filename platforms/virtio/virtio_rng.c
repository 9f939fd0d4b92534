/* The virtio entropy device (virtio 1.1, 5.4): one request queue whose
 * device-writable buffers come back filled with random bytes from the host.
 * sole run attaches one to every VM; at boot the kernel reads 32 bytes from
 * it and mixes them into its generator (kernel/random.c), beside the boot
 * configuration's seed and RDSEED/RDRAND. The device is then reset and let
 * go: the generator needs no more than that. */
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/crypto/wipe.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define REQUEST_QUEUE 0
#define SEED_BYTES 32
#define WAIT_NS 100000000ull /* QEMU answers at once; a device that does not is left out */

/* Reads up to SEED_BYTES into page; how many came, 0 for none. */
static uint32_t read_entropy(struct virtio_device *dev, struct virtqueue *vq, uint8_t *page)
{
	struct virtq_buffer request = {virt_to_phys(page), SEED_BYTES, true};
	if (virtqueue_add(vq, &request, 1, page))
		return 0;
	virtqueue_kick(vq);
	uint64_t deadline = time_monotonic_ns() + WAIT_NS;
	uint32_t len = 0;
	while (!virtqueue_next_used(vq, &len)) {
		if (time_monotonic_ns() > deadline) {
			klog("virtio-rng: %s: no answer in 100 ms", dev->where);
			return 0;
		}
		cpu_relax();
	}
	return len < SEED_BYTES ? len : SEED_BYTES;
}

int virtio_rng_probe(struct virtio_device *dev)
{
	struct virtqueue vq = {0};
	uint64_t features;
	uint64_t page = page_alloc(1);
	int err = page ? virtio_negotiate(dev, VIRTIO_F_VERSION_1, &features) : -ENOMEM;
	if (!err)
		err = virtqueue_init(&vq, dev, REQUEST_QUEUE, 1);
	if (!err) {
		virtio_driver_ok(dev);
		uint32_t got = read_entropy(dev, &vq, phys_to_virt(page));
		if (got)
			random_mix(phys_to_virt(page), got);
		klog("virtio-rng: %s: %u bytes mixed into the random generator", dev->where, got);
	}
	virtio_abandon(dev); /* reset first: then the queue's memory is ours again */
	if (vq.desc)
		virtqueue_destroy(&vq);
	if (page) {
		wipe(phys_to_virt(page), SEED_BYTES);
		page_free(page, 1);
	}
	return err ? err : -ENODEV; /* nothing kept: the transport frees the device */
}
