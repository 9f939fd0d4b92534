/* The virtio-mmio transport, version 2 (virtio 1.1, 4.2): a 512-byte
 * register window per device at slots the platform knows, and an
 * interrupt line through the I/O APIC. */
#include <string.h>

#include "kernel/arch/x86_64/irq.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/paging.h"
#include "libc-glue/kformat.h"
#include "platforms/qemu/ioapic.h"
#include "platforms/virtio/virtio.h"
#include "platforms/virtio/virtqueue.h"

#define MMIO_MAGIC 0x74726976 /* "virt" */

/* Register offsets, in bytes. */
#define REG_MAGIC 0x000
#define REG_VERSION 0x004
#define REG_DEVICE_ID 0x008
#define REG_DEVICE_FEATURES 0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES 0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL 0x030
#define REG_QUEUE_NUM_MAX 0x034
#define REG_QUEUE_NUM 0x038
#define REG_QUEUE_READY 0x044
#define REG_QUEUE_NOTIFY 0x050
#define REG_INTERRUPT_STATUS 0x060
#define REG_INTERRUPT_ACK 0x064
#define REG_STATUS 0x070
#define REG_QUEUE_DESC_LOW 0x080
#define REG_QUEUE_DESC_HIGH 0x084
#define REG_QUEUE_DRIVER_LOW 0x090
#define REG_QUEUE_DRIVER_HIGH 0x094
#define REG_QUEUE_DEVICE_LOW 0x0a0
#define REG_QUEUE_DEVICE_HIGH 0x0a4
#define REG_CONFIG 0x100
#define WINDOW_SIZE 0x200

struct virtio_mmio {
	struct virtio_device vdev; /* first: the transport's callbacks cast back */
	volatile uint8_t *regs;
	unsigned gsi;
	int vector; /* 0 until the interrupt starts */
};

static struct virtio_mmio *to_mmio(struct virtio_device *dev) { return (struct virtio_mmio *)dev; }

static uint32_t read_reg(struct virtio_mmio *vm, unsigned offset) { return *(volatile uint32_t *)(vm->regs + offset); }

static void write_reg(struct virtio_mmio *vm, unsigned offset, uint32_t value)
{
	*(volatile uint32_t *)(vm->regs + offset) = value;
}

static uint8_t get_status(struct virtio_device *dev) { return read_reg(to_mmio(dev), REG_STATUS); }

static void set_status(struct virtio_device *dev, uint8_t status) { write_reg(to_mmio(dev), REG_STATUS, status); }

static uint64_t get_features(struct virtio_device *dev)
{
	struct virtio_mmio *vm = to_mmio(dev);
	write_reg(vm, REG_DEVICE_FEATURES_SEL, 0);
	uint64_t low = read_reg(vm, REG_DEVICE_FEATURES);
	write_reg(vm, REG_DEVICE_FEATURES_SEL, 1);
	return low | (uint64_t)read_reg(vm, REG_DEVICE_FEATURES) << 32;
}

static void set_features(struct virtio_device *dev, uint64_t features)
{
	struct virtio_mmio *vm = to_mmio(dev);
	write_reg(vm, REG_DRIVER_FEATURES_SEL, 0);
	write_reg(vm, REG_DRIVER_FEATURES, (uint32_t)features);
	write_reg(vm, REG_DRIVER_FEATURES_SEL, 1);
	write_reg(vm, REG_DRIVER_FEATURES, features >> 32);
}

static uint32_t read_config(struct virtio_device *dev, unsigned offset, unsigned width)
{
	if (REG_CONFIG + offset + width > WINDOW_SIZE)
		return 0;
	volatile uint8_t *field = to_mmio(dev)->regs + REG_CONFIG + offset;
	return width == 1 ? *field : width == 2 ? *(volatile uint16_t *)field : *(volatile uint32_t *)field;
}

static unsigned queue_max_size(struct virtio_device *dev, unsigned index)
{
	struct virtio_mmio *vm = to_mmio(dev);
	write_reg(vm, REG_QUEUE_SEL, index);
	return read_reg(vm, REG_QUEUE_READY) ? 0 : read_reg(vm, REG_QUEUE_NUM_MAX);
}

static int queue_start(struct virtio_device *dev, struct virtqueue *vq)
{
	struct virtio_mmio *vm = to_mmio(dev);
	uint64_t desc = virt_to_phys(vq->desc), avail = virt_to_phys(vq->avail), used = virt_to_phys(vq->used);
	write_reg(vm, REG_QUEUE_SEL, vq->index);
	write_reg(vm, REG_QUEUE_NUM, vq->size);
	write_reg(vm, REG_QUEUE_DESC_LOW, (uint32_t)desc);
	write_reg(vm, REG_QUEUE_DESC_HIGH, desc >> 32);
	write_reg(vm, REG_QUEUE_DRIVER_LOW, (uint32_t)avail);
	write_reg(vm, REG_QUEUE_DRIVER_HIGH, avail >> 32);
	write_reg(vm, REG_QUEUE_DEVICE_LOW, (uint32_t)used);
	write_reg(vm, REG_QUEUE_DEVICE_HIGH, used >> 32);
	write_reg(vm, REG_QUEUE_READY, 1);
	return 0;
}

static void queue_notify(struct virtio_device *dev, struct virtqueue *vq)
{
	write_reg(to_mmio(dev), REG_QUEUE_NOTIFY, vq->index);
}

/* The line stays up while a status bit is set: acknowledge before the
 * driver looks at its queues, so that what arrives meanwhile raises it
 * again. */
static void interrupt(void *arg)
{
	struct virtio_mmio *vm = arg;
	uint32_t status = read_reg(vm, REG_INTERRUPT_STATUS);
	write_reg(vm, REG_INTERRUPT_ACK, status);
	if (status && vm->vdev.interrupt)
		vm->vdev.interrupt(&vm->vdev);
}

static int interrupt_start(struct virtio_device *dev)
{
	struct virtio_mmio *vm = to_mmio(dev);
	int vector = irq_allocate(interrupt, vm);
	if (vector < 0)
		return vector;
	int err = ioapic_route(vm->gsi, vector, true);
	if (err) {
		irq_free(vector);
		return err;
	}
	vm->vector = vector;
	return 0;
}

static const struct virtio_transport virtio_mmio_transport = {
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

/* Starts the driver of the device at base; regs maps its window. */
static void probe(uint64_t base, volatile uint8_t *regs, unsigned gsi)
{
	char where[sizeof((struct virtio_device *)0)->where];
	ksnprintf(where, sizeof where, "mmio 0x%llx", (unsigned long long)base);
	uint32_t version = *(volatile uint32_t *)(regs + REG_VERSION);
	if (version != 2) {
		klog("virtio: %s: legacy virtio-mmio (version %u) is not supported; QEMU offers version 2 "
		     "with -global virtio-mmio.force-legacy=false",
		     where, version);
		return;
	}
	struct virtio_mmio *vm = kzalloc(sizeof *vm);
	if (!vm) {
		kwarn("virtio: out of memory for the device at %s", where);
		return;
	}
	vm->vdev.transport = &virtio_mmio_transport;
	vm->vdev.type = *(volatile uint32_t *)(regs + REG_DEVICE_ID);
	memcpy(vm->vdev.where, where, sizeof where);
	vm->regs = regs;
	vm->gsi = gsi;
	if (virtio_probe(&vm->vdev) == 0)
		return;
	if (vm->vector) {
		ioapic_mask(gsi);
		irq_free(vm->vector);
	}
	kfree(vm);
}

void virtio_mmio_probe_slots(uint64_t base, unsigned count, unsigned (*gsi_of_slot)(uint64_t slot_base, unsigned slot))
{
	volatile uint8_t *slots = paging_map_device(base, (size_t)count * WINDOW_SIZE);
	if (!slots)
		return;
	for (unsigned i = 0; i < count; i++) {
		volatile uint8_t *regs = slots + i * WINDOW_SIZE;
		/* Nothing answers past the machine's last slot: reads give 0. */
		if (*(volatile uint32_t *)(regs + REG_DEVICE_ID) &&
		    *(volatile uint32_t *)(regs + REG_MAGIC) == MMIO_MAGIC)
			probe(base + i * WINDOW_SIZE, regs, gsi_of_slot(base + i * WINDOW_SIZE, i));
	}
}

/* A number as Linux's memparse reads it: decimal or 0x hex, with an
 * optional K, M or G. Returns the text after it, or NULL when there is no
 * number. */
static const char *parse_number(const char *text, uint64_t *value)
{
	unsigned radix = 10;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		radix = 16;
		text += 2;
	}
	const char *start = text;
	for (*value = 0;; text++) {
		unsigned digit;
		if (*text >= '0' && *text <= '9')
			digit = *text - '0';
		else if (radix == 16 && (*text | 0x20) >= 'a' && (*text | 0x20) <= 'f')
			digit = (*text | 0x20) - 'a' + 10;
		else
			break;
		*value = *value * radix + digit;
	}
	if (text == start)
		return NULL;
	const char *units = "KMG";
	for (unsigned i = 0; units[i]; i++)
		if ((*text & ~0x20) == units[i]) {
			*value <<= 10 * (i + 1);
			return text + 1;
		}
	return text;
}

bool virtio_mmio_cmdline_gsi(uint64_t base, unsigned *gsi)
{
	char entry[64];
	for (unsigned n = 0; cmdline_get("virtio_mmio.device", n, entry, sizeof entry); n++) {
		uint64_t size, entry_base, irq;
		const char *p = parse_number(entry, &size);
		p = p && *p == '@' ? parse_number(p + 1, &entry_base) : NULL;
		p = p && *p == ':' ? parse_number(p + 1, &irq) : NULL;
		if (!p || (*p && *p != ':')) {
			klog("virtio: cannot read virtio_mmio.device=%s", entry);
			continue;
		}
		if (entry_base == base) {
			*gsi = irq;
			return true;
		}
	}
	return false;
}
