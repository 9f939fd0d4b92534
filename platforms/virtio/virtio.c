/* What every virtio device shares, whatever its transport: the driver for
 * each device type, reset and feature negotiation (virtio 1.1, 3.1.1). */
#include "platforms/virtio/virtio.h"

#include "kernel/errno.h"
#include "kernel/log.h"

static const struct {
	unsigned type;
	int (*probe)(struct virtio_device *dev);
} drivers[] = {
    {VIRTIO_ID_NET, virtio_net_probe},
    {VIRTIO_ID_9P, virtio_9p_probe},
    {VIRTIO_ID_CONSOLE, virtio_console_probe},
    {VIRTIO_ID_ENTROPY, virtio_rng_probe},
};

static unsigned probing;

void virtio_probe_type(unsigned type) { probing = type; }

int virtio_probe(struct virtio_device *dev)
{
	if (dev->type != probing)
		return -ENODEV; /* another scan's */
	for (unsigned i = 0; i < sizeof drivers / sizeof *drivers; i++)
		if (drivers[i].type == dev->type)
			return drivers[i].probe(dev);
	klog("virtio: %s: device type %u has no driver", dev->where, dev->type);
	return -ENODEV;
}

static int reset(struct virtio_device *dev)
{
	dev->transport->set_status(dev, 0);
	/* QEMU resets at once; a device that never finishes is broken. */
	for (int tries = 0; tries < 100000; tries++)
		if (dev->transport->get_status(dev) == 0)
			return 0;
	return -EIO;
}

int virtio_negotiate(struct virtio_device *dev, uint64_t wanted, uint64_t *accepted)
{
	const struct virtio_transport *t = dev->transport;
	if (reset(dev))
		return -EIO;
	t->set_status(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	t->set_status(dev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	uint64_t offered = t->get_features(dev);
	if (!(offered & VIRTIO_F_VERSION_1))
		return -ENODEV; /* a legacy-only device */
	*accepted = offered & wanted;
	t->set_features(dev, *accepted);
	t->set_status(dev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(t->get_status(dev) & VIRTIO_STATUS_FEATURES_OK))
		return -EIO;
	return 0;
}

void virtio_driver_ok(struct virtio_device *dev)
{
	dev->transport->set_status(dev, dev->transport->get_status(dev) | VIRTIO_STATUS_DRIVER_OK);
}

void virtio_abandon(struct virtio_device *dev)
{
	reset(dev);
	dev->transport->set_status(dev, VIRTIO_STATUS_FAILED);
}
