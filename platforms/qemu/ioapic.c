/* The I/O APICs at QEMU's fixed addresses, programmed through their
 * select/window register pair; see ioapic.h. */
#include "platforms/qemu/ioapic.h"

#include "kernel/arch/x86_64/lapic.h"
#include "kernel/errno.h"
#include "kernel/mm/paging.h"

#define REG_SELECT 0x00 /* in 32-bit words: 0x00 and 0x10 bytes */
#define REG_WINDOW 0x04
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))

#define ENTRY_LEVEL (1u << 15)
#define ENTRY_MASKED (1u << 16)

static struct ioapic {
	uint64_t phys;
	unsigned gsi_base;
	volatile uint32_t *regs; /* NULL until first used */
	unsigned pins;           /* 0: absent */
} ioapics[] = {
    {.phys = 0xfec00000, .gsi_base = 0}, {.phys = 0xfec10000, .gsi_base = 24}, /* microvm's ioapic2 */
};

static uint32_t read_reg(struct ioapic *io, unsigned reg)
{
	io->regs[REG_SELECT] = reg;
	return io->regs[REG_WINDOW];
}

static void write_reg(struct ioapic *io, unsigned reg, uint32_t value)
{
	io->regs[REG_SELECT] = reg;
	io->regs[REG_WINDOW] = value;
}

/* The I/O APIC serving gsi, mapped on first use; NULL when there is none
 * (an address where nothing answers reads as zero, not as an I/O APIC). */
static struct ioapic *ioapic_for(unsigned gsi)
{
	for (unsigned i = 0; i < sizeof ioapics / sizeof *ioapics; i++) {
		struct ioapic *io = &ioapics[i];
		if (gsi < io->gsi_base)
			continue;
		if (!io->regs) {
			io->regs = paging_map_device(io->phys, 0x20);
			if (!io->regs)
				return NULL;
			uint32_t version = read_reg(io, IOAPIC_VERSION);
			io->pins = (version & 0xff) ? ((version >> 16) & 0xff) + 1 : 0;
		}
		if (gsi - io->gsi_base < io->pins)
			return io;
	}
	return NULL;
}

unsigned ioapic_gsi_count(void)
{
	unsigned count = 0;
	while (ioapic_for(count))
		count++;
	return count;
}

int ioapic_route(unsigned gsi, uint8_t vector, bool level_triggered)
{
	struct ioapic *io = ioapic_for(gsi);
	if (!io)
		return -ENODEV;
	unsigned pin = gsi - io->gsi_base;
	/* Fixed delivery, physical destination. QEMU's lines are active high
	 * (its I/O APIC model ignores the polarity bit anyway). */
	write_reg(io, IOAPIC_REDIRECTION(pin), ENTRY_MASKED);
	write_reg(io, IOAPIC_REDIRECTION(pin) + 1, (uint32_t)lapic_id() << 24);
	write_reg(io, IOAPIC_REDIRECTION(pin), vector | (level_triggered ? ENTRY_LEVEL : 0));
	return 0;
}

void ioapic_mask(unsigned gsi)
{
	struct ioapic *io = ioapic_for(gsi);
	if (io) {
		unsigned pin = gsi - io->gsi_base;
		write_reg(io, IOAPIC_REDIRECTION(pin), read_reg(io, IOAPIC_REDIRECTION(pin)) | ENTRY_MASKED);
	}
}
