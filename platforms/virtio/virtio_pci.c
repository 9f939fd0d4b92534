/* The virtio-pci transport, modern interface (virtio 1.1, 4.1): the common,
 * notify and device config structures that vendor capabilities place in
 * memory BARs, and one MSI-X vector for every queue. */
#include <stddef.h>

#include "kernel/arch/x86_64/irq.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/paging.h"
#include "libc-glue/kformat.h"
#include "platforms/qemu/pci.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_MODERN_BASE 0x1040        /* device id 0x1040 + type */
#define VIRTIO_PCI_TRANSITIONAL_FIRST 0x1000 /* type in the subsystem id */
#define VIRTIO_PCI_TRANSITIONAL_LAST 0x103f

/* cfg_type of a virtio vendor capability */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_DEVICE 4

/* The vendor capability: where in which BAR a structure lives. */
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_NOTIFY_MULTIPLIER 16

#define NO_VECTOR 0xffff
#define QUEUE_VECTOR 0 /* the MSI-X entry every queue uses */

struct virtio_pci_common_cfg {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint32_t queue_desc_low, queue_desc_high;
	uint32_t queue_driver_low, queue_driver_high;
	uint32_t queue_device_low, queue_device_high;
};
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_desc_low) == 0x20, "virtio 1.1, 4.1.4.3");

struct virtio_pci {
	struct virtio_device vdev; /* first: the transport's callbacks cast back */
	struct pci_device pci;
	volatile struct virtio_pci_common_cfg *common;
	volatile uint8_t *notify;
	uint32_t notify_length;
	uint32_t notify_multiplier;
	volatile uint8_t *device_config;
	uint32_t device_config_length;
	int vector; /* 0 until the interrupt starts */
};

static struct virtio_pci *to_pci(struct virtio_device *dev) { return (struct virtio_pci *)dev; }

static uint8_t get_status(struct virtio_device *dev) { return to_pci(dev)->common->device_status; }

static void set_status(struct virtio_device *dev, uint8_t status) { to_pci(dev)->common->device_status = status; }

static uint64_t get_features(struct virtio_device *dev)
{
	volatile struct virtio_pci_common_cfg *common = to_pci(dev)->common;
	common->device_feature_select = 0;
	uint64_t low = common->device_feature;
	common->device_feature_select = 1;
	return low | (uint64_t)common->device_feature << 32;
}

static void set_features(struct virtio_device *dev, uint64_t features)
{
	volatile struct virtio_pci_common_cfg *common = to_pci(dev)->common;
	common->driver_feature_select = 0;
	common->driver_feature = (uint32_t)features;
	common->driver_feature_select = 1;
	common->driver_feature = features >> 32;
}

static uint32_t read_config(struct virtio_device *dev, unsigned offset, unsigned width)
{
	struct virtio_pci *vp = to_pci(dev);
	if (offset + width > vp->device_config_length)
		return 0;
	volatile uint8_t *field = vp->device_config + offset;
	return width == 1 ? *field : width == 2 ? *(volatile uint16_t *)field : *(volatile uint32_t *)field;
}

static unsigned queue_max_size(struct virtio_device *dev, unsigned index)
{
	volatile struct virtio_pci_common_cfg *common = to_pci(dev)->common;
	if (index >= common->num_queues)
		return 0;
	common->queue_select = index;
	return common->queue_size;
}

static int queue_start(struct virtio_device *dev, struct virtqueue *vq)
{
	struct virtio_pci *vp = to_pci(dev);
	volatile struct virtio_pci_common_cfg *common = vp->common;
	common->queue_select = vq->index;
	uint64_t notify_offset = (uint64_t)common->queue_notify_off * vp->notify_multiplier;
	if (notify_offset + 2 > vp->notify_length)
		return -EIO;
	vq->notify_register = vp->notify + notify_offset;
	common->queue_size = vq->size;
	uint64_t desc = virt_to_phys(vq->desc), avail = virt_to_phys(vq->avail), used = virt_to_phys(vq->used);
	common->queue_desc_low = (uint32_t)desc;
	common->queue_desc_high = desc >> 32;
	common->queue_driver_low = (uint32_t)avail;
	common->queue_driver_high = avail >> 32;
	common->queue_device_low = (uint32_t)used;
	common->queue_device_high = used >> 32;
	common->queue_msix_vector = QUEUE_VECTOR;
	if (common->queue_msix_vector != QUEUE_VECTOR)
		return -EIO; /* the device could not take the vector */
	common->queue_enable = 1;
	return 0;
}

static void queue_notify(struct virtio_device *dev, struct virtqueue *vq)
{
	(void)dev;
	*(volatile uint16_t *)vq->notify_register = vq->index;
}

static void interrupt(void *arg)
{
	struct virtio_device *dev = arg;
	if (dev->interrupt)
		dev->interrupt(dev);
}

static int interrupt_start(struct virtio_device *dev)
{
	struct virtio_pci *vp = to_pci(dev);
	int vector = irq_allocate(interrupt, dev);
	if (vector < 0)
		return vector;
	int err = pci_msix_route(&vp->pci, QUEUE_VECTOR, vector);
	if (err) {
		irq_free(vector);
		return err;
	}
	vp->vector = vector;
	vp->common->msix_config = NO_VECTOR; /* config changes go unannounced */
	return 0;
}

static const struct virtio_transport virtio_pci_transport = {
    .get_status = get_status,
    .set_status = set_status,
    .get_features = get_features,
    .set_features = set_features,
    .read_config = read_config,
    .queue_max_size = queue_max_size,
    .queue_start = queue_start,
    .queue_notify = queue_notify,
    .interrupt_start = interrupt_start,
};

/* Maps the structure a capability describes; NULL when it is unusable. */
static volatile void *map_capability(const struct pci_device *pci, unsigned cap, uint32_t *length)
{
	uint8_t bar = pci_read8(pci, cap + CAP_BAR);
	uint64_t base = pci_bar_address(pci, bar);
	*length = pci_read32(pci, cap + CAP_LENGTH);
	if (!base || *length == 0)
		return NULL;
	return paging_map_device(base + pci_read32(pci, cap + CAP_OFFSET), *length);
}

/* Finds and maps the common, notify and device config structures: the
 * first capability of each type that maps. */
static int map_structures(struct virtio_pci *vp)
{
	uint32_t length;
	for (unsigned cap = 0; (cap = pci_find_capability(&vp->pci, PCI_CAP_ID_VENDOR, cap));) {
		uint8_t type = pci_read8(&vp->pci, cap + CAP_CFG_TYPE);
		if (type == CAP_COMMON && !vp->common) {
			vp->common = map_capability(&vp->pci, cap, &length);
			if (length < sizeof *vp->common)
				vp->common = NULL;
		} else if (type == CAP_NOTIFY && !vp->notify) {
			vp->notify = map_capability(&vp->pci, cap, &vp->notify_length);
			vp->notify_multiplier = pci_read32(&vp->pci, cap + CAP_NOTIFY_MULTIPLIER);
		} else if (type == CAP_DEVICE && !vp->device_config) {
			vp->device_config = map_capability(&vp->pci, cap, &vp->device_config_length);
		}
	}
	return vp->common && vp->notify && vp->device_config ? 0 : -ENODEV;
}

/* The device type: in the device id of a modern device, in the subsystem
 * id of a transitional one; 0 for none. */
static unsigned device_type(const struct pci_device *pci)
{
	if (pci->device_id >= VIRTIO_PCI_MODERN_BASE)
		return pci->device_id - VIRTIO_PCI_MODERN_BASE;
	if (pci->device_id >= VIRTIO_PCI_TRANSITIONAL_FIRST && pci->device_id <= VIRTIO_PCI_TRANSITIONAL_LAST)
		return pci_read16(pci, PCI_SUBSYSTEM_ID);
	return 0;
}

void virtio_pci_probe(const struct pci_device *pci)
{
	if (pci->vendor_id != VIRTIO_PCI_VENDOR || !device_type(pci))
		return;
	struct virtio_pci *vp = kzalloc(sizeof *vp);
	if (!vp) {
		kwarn("virtio: out of memory for the device at pci %02x:%02x.%x", pci->bus, pci->slot, pci->function);
		return;
	}
	vp->pci = *pci;
	vp->vdev.transport = &virtio_pci_transport;
	vp->vdev.type = device_type(pci);
	ksnprintf(vp->vdev.where, sizeof vp->vdev.where, "pci %02x:%02x.%x", pci->bus, pci->slot, pci->function);
	if (map_structures(vp)) {
		klog("virtio: %s: no usable modern (virtio 1.x) interface; skipped", vp->vdev.where);
		kfree(vp);
		return;
	}
	pci_enable(pci);
	if (virtio_probe(&vp->vdev)) {
		if (vp->vector)
			irq_free(vp->vector);
		kfree(vp);
	}
}
