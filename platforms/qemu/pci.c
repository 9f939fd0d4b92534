/* PCI configuration mechanism #1, the bus scan, BARs, capabilities and
 * MSI-X; see pci.h. */
#include "platforms/qemu/pci.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/errno.h"
#include "kernel/mm/paging.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_CAPABILITY_LIST 0x34

#define COMMAND_MEMORY (1u << 1)
#define COMMAND_BUS_MASTER (1u << 2)
#define COMMAND_INTX_DISABLE (1u << 10)
#define STATUS_CAPABILITIES (1u << 4)
#define HEADER_MULTIFUNCTION 0x80
#define HEADER_BRIDGE 0x01

#define MSIX_CONTROL 2
#define MSIX_TABLE 4
#define MSIX_CONTROL_ENABLE (1u << 15)
#define MSIX_CONTROL_FUNCTION_MASK (1u << 14)
#define MSIX_ENTRY_SIZE 16
#define MSI_ADDRESS_BASE 0xfee00000u

static void select_register(const struct pci_device *dev, unsigned offset)
{
	outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)dev->bus << 16 | (uint32_t)dev->slot << 11 |
	                         (uint32_t)dev->function << 8 | (offset & 0xfc));
}

uint32_t pci_read32(const struct pci_device *dev, unsigned offset)
{
	select_register(dev, offset);
	return inl(CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_device *dev, unsigned offset)
{
	return pci_read32(dev, offset) >> (8 * (offset & 2));
}

uint8_t pci_read8(const struct pci_device *dev, unsigned offset)
{
	return pci_read32(dev, offset) >> (8 * (offset & 3));
}

static void pci_write16(const struct pci_device *dev, unsigned offset, uint16_t value)
{
	select_register(dev, offset);
	outw(CONFIG_DATA + (offset & 2), value);
}

static void scan_bus(uint8_t bus, void (*visit)(const struct pci_device *dev))
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		for (uint8_t function = 0; function < 8; function++) {
			struct pci_device dev = {.bus = bus, .slot = slot, .function = function};
			uint32_t ids = pci_read32(&dev, PCI_VENDOR_ID);
			if ((ids & 0xffff) == 0xffff) {
				if (function == 0)
					break;
				continue;
			}
			dev.vendor_id = ids & 0xffff;
			dev.device_id = ids >> 16;
			uint8_t header = pci_read8(&dev, PCI_HEADER_TYPE);
			visit(&dev);
			if ((header & 0x7f) == HEADER_BRIDGE) {
				/* A bridge numbered at or below its own bus would loop. */
				uint8_t secondary = pci_read8(&dev, PCI_SECONDARY_BUS);
				if (secondary > bus)
					scan_bus(secondary, visit);
			}
			if (function == 0 && !(header & HEADER_MULTIFUNCTION))
				break;
		}
	}
}

bool pci_scan(void (*visit)(const struct pci_device *dev))
{
	const struct pci_device host_bridge = {0};
	if ((pci_read32(&host_bridge, PCI_VENDOR_ID) & 0xffff) == 0xffff)
		return false;
	scan_bus(0, visit);
	return true;
}

unsigned pci_find_capability(const struct pci_device *dev, uint8_t id, unsigned after)
{
	if (!(pci_read16(dev, PCI_STATUS) & STATUS_CAPABILITIES))
		return 0;
	unsigned offset = pci_read8(dev, after ? after + 1 : PCI_CAPABILITY_LIST) & 0xfc;
	/* At most 48 capabilities fit in the 192 bytes after the header: a
	 * longer walk is a loop in a broken list. */
	for (int steps = 0; offset >= 0x40 && steps < 48; steps++) {
		if (pci_read8(dev, offset) == id)
			return offset;
		offset = pci_read8(dev, offset + 1) & 0xfc;
	}
	return 0;
}

uint64_t pci_bar_address(const struct pci_device *dev, unsigned bar)
{
	if (bar > 5)
		return 0;
	uint32_t low = pci_read32(dev, PCI_BAR0 + 4 * bar);
	if (low & 1)
		return 0; /* I/O space */
	uint64_t address = low & ~0xfull;
	if (((low >> 1) & 3) == 2 && bar < 5)
		address |= (uint64_t)pci_read32(dev, PCI_BAR0 + 4 * (bar + 1)) << 32;
	return address;
}

void pci_enable(const struct pci_device *dev)
{
	uint16_t command = pci_read16(dev, PCI_COMMAND);
	pci_write16(dev, PCI_COMMAND, command | COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE);
}

int pci_msix_route(const struct pci_device *dev, unsigned entry, uint8_t vector)
{
	unsigned cap = pci_find_capability(dev, PCI_CAP_ID_MSIX, 0);
	if (!cap)
		return -ENODEV;
	uint16_t control = pci_read16(dev, cap + MSIX_CONTROL);
	if (entry > (control & 0x7ffu))
		return -ENODEV;
	uint32_t table = pci_read32(dev, cap + MSIX_TABLE);
	uint64_t bar = pci_bar_address(dev, table & 7);
	if (!bar)
		return -ENODEV;
	volatile uint32_t *slot = paging_map_device(bar + (table & ~7u) + entry * MSIX_ENTRY_SIZE, MSIX_ENTRY_SIZE);
	if (!slot)
		return -ENOMEM;
	/* Enabled with every vector held back while the entry is written. */
	pci_write16(dev, cap + MSIX_CONTROL, control | MSIX_CONTROL_ENABLE | MSIX_CONTROL_FUNCTION_MASK);
	slot[0] = MSI_ADDRESS_BASE | (uint32_t)lapic_id() << 12;
	slot[1] = 0;
	slot[2] = vector; /* fixed delivery, edge */
	slot[3] = 0;      /* unmasked */
	pci_write16(dev, cap + MSIX_CONTROL, (control | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_FUNCTION_MASK);
	return 0;
}
