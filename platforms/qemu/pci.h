/* PCI on QEMU's pc machine: configuration space through the 0xcf8/0xcfc
 * ports, the bus scan, memory BARs, capabilities and MSI-X. The firmware
 * (SeaBIOS) has already assigned every BAR when the kernel starts. */
#ifndef SOLE_PCI_H
#define SOLE_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_ID 0x00
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_MSIX 0x11

struct pci_device {
	uint8_t bus, slot, function;
	uint16_t vendor_id, device_id;
};

uint32_t pci_read32(const struct pci_device *dev, unsigned offset);
uint16_t pci_read16(const struct pci_device *dev, unsigned offset);
uint8_t pci_read8(const struct pci_device *dev, unsigned offset);

/* Calls visit for every function present, on bus 0 and the buses behind
 * its bridges. Returns false when there is no PCI at all (microvm). */
bool pci_scan(void (*visit)(const struct pci_device *dev));

/* The config-space offset of the next capability with this id after the
 * one at offset after (0: from the start of the list); 0 when none. */
unsigned pci_find_capability(const struct pci_device *dev, uint8_t id, unsigned after);

/* The physical address of memory BAR bar (a 64-bit BAR takes two slots);
 * 0 for an I/O or unassigned BAR. */
uint64_t pci_bar_address(const struct pci_device *dev, unsigned bar);

/* Lets the device answer at its memory BARs and reach memory (bus master),
 * with its legacy INTx line off: it interrupts through MSI-X only. */
void pci_enable(const struct pci_device *dev);

/* Sends MSI-X table entry `entry` to vector on this CPU and turns MSI-X on.
 * Returns 0, -ENODEV without MSI-X (or too few entries), -ENOMEM. */
int pci_msix_route(const struct pci_device *dev, unsigned entry, uint8_t vector);

#endif
