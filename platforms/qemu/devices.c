/* Device discovery: PCI on pc, the virtio-mmio slots on microvm. With no
 * device attached this costs a few port and register reads. */
#include "platforms/platform.h"

#include "platforms/qemu/ioapic.h"
#include "platforms/qemu/pci.h"
#include "platforms/virtio/virtio.h"

/* microvm's virtio-mmio slots (QEMU 7.2, hw/i386/microvm.c): 24 on the
 * second I/O APIC's lines 24-47 when ACPI is on (the default), 8 on lines
 * 16-23 with ACPI but one I/O APIC, 8 on lines 5-12 without ACPI. QEMU
 * writes virtio_mmio.device= on the command line only without ACPI. */
#define MICROVM_MMIO_BASE 0xfeb00000
#define MICROVM_MMIO_SLOTS 24

static unsigned microvm_slot_gsi(uint64_t slot_base, unsigned slot)
{
	unsigned gsi;
	if (virtio_mmio_cmdline_gsi(slot_base, &gsi))
		return gsi;
	return (ioapic_gsi_count() > 24 ? 24 : 16) + slot;
}

void devices_probe(enum device_class class)
{
	static const unsigned types[] = {
	    [DEVICES_CONSOLE] = VIRTIO_ID_CONSOLE, [DEVICES_NETWORK] = VIRTIO_ID_NET, [DEVICES_VOLUMES] = VIRTIO_ID_9P,
	    [DEVICES_ENTROPY] = VIRTIO_ID_ENTROPY};
	virtio_probe_type(types[class]);
	if (!pci_scan(virtio_pci_probe))
		virtio_mmio_probe_slots(MICROVM_MMIO_BASE, MICROVM_MMIO_SLOTS, microvm_slot_gsi);
}
