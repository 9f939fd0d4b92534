/* A virtio device as its driver sees it, whatever carries it (virtio-pci on
 * pc, virtio-mmio on microvm): status, feature bits, the device's config
 * space, queues and one interrupt. Only modern (virtio 1.x) devices. */
#ifndef SOLE_VIRTIO_H
#define SOLE_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_ENTROPY 4
#define VIRTIO_ID_9P 9

#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_FAILED 0x80

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_INDIRECT_DESC (1ull << 28)

struct virtio_device;
struct virtqueue;

/* What a transport does for the generic code and the drivers. */
struct virtio_transport {
	uint8_t (*get_status)(struct virtio_device *dev);
	void (*set_status)(struct virtio_device *dev, uint8_t status); /* 0 resets */
	uint64_t (*get_features)(struct virtio_device *dev);
	void (*set_features)(struct virtio_device *dev, uint64_t features);
	/* One field of the device's config space, width 1, 2 or 4 bytes. */
	uint32_t (*read_config)(struct virtio_device *dev, unsigned offset, unsigned width);
	/* The most entries queue index may have; 0 when it does not exist. */
	unsigned (*queue_max_size)(struct virtio_device *dev, unsigned index);
	/* Gives the device the queue's rings and turns the queue on. */
	int (*queue_start)(struct virtio_device *dev, struct virtqueue *vq);
	void (*queue_notify)(struct virtio_device *dev, struct virtqueue *vq);
	/* Connects the device's interrupt to dev->interrupt; before the
	 * queues start (virtio-pci names the vector in each queue). */
	int (*interrupt_start)(struct virtio_device *dev);
};

struct virtio_device {
	const struct virtio_transport *transport;
	unsigned type;  /* VIRTIO_ID_* */
	char where[24]; /* "pci 00:03.0", "mmio 0xfeb00e00", for the log */
	/* The driver's handler: some queue may have used buffers. */
	void (*interrupt)(struct virtio_device *dev);
	void *driver_private;
};

/* Hands a device found by a transport to the driver of its type, when
 * that type is the one being probed (virtio_probe_type). Returns 0 when a
 * driver took it; the transport frees the device otherwise. */
int virtio_probe(struct virtio_device *dev);
/* The device type the next scans start drivers for: each kind of device
 * starts when its subsystem is ready for it (the network with lwIP). */
void virtio_probe_type(unsigned type);

/* Resets the device and agrees on features: the device's offer and wanted,
 * which must include VIRTIO_F_VERSION_1. Returns the accepted set in
 * *accepted, or -ENODEV/-EIO when the device will not work with us. */
int virtio_negotiate(struct virtio_device *dev, uint64_t wanted, uint64_t *accepted);
/* The driver is ready: the device may use its queues. */
void virtio_driver_ok(struct virtio_device *dev);
/* The driver gives up: the device is reset (it touches no memory of ours
 * any more) and marked failed. */
void virtio_abandon(struct virtio_device *dev);

/* The transports' probes. */
struct pci_device;
void virtio_pci_probe(const struct pci_device *pci);
/* Starts the devices in count 512-byte virtio-mmio slots from base,
 * passing over empty ones; gsi_of_slot names each device's interrupt line. */
void virtio_mmio_probe_slots(uint64_t base, unsigned count, unsigned (*gsi_of_slot)(uint64_t slot_base, unsigned slot));
/* The line the kernel command line gives the device at base, as Linux
 * reads it: virtio_mmio.device=SIZE@BASE:IRQ. */
bool virtio_mmio_cmdline_gsi(uint64_t base, unsigned *gsi);

/* The drivers. */
int virtio_net_probe(struct virtio_device *dev);
int virtio_9p_probe(struct virtio_device *dev);
int virtio_console_probe(struct virtio_device *dev);
int virtio_rng_probe(struct virtio_device *dev);

#endif
