/* The I/O APICs: they turn a device's interrupt line (a GSI) into a vector
 * on the local APIC. QEMU's pc has one (GSIs 0-23); microvm adds a second
 * (GSIs 24-47) for its virtio-mmio slots. */
#ifndef SOLE_IOAPIC_H
#define SOLE_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Sends the line's interrupts to vector on this CPU and unmasks it. A
 * level-triggered line stays asserted until the driver acknowledges the
 * device; an edge-triggered one fires once per event. Returns 0, or -ENODEV
 * when no I/O APIC serves the GSI. */
int ioapic_route(unsigned gsi, uint8_t vector, bool level_triggered);
/* How many lines the I/O APICs serve: 24, or 48 on microvm with ACPI. */
unsigned ioapic_gsi_count(void);
/* Masks a routed line again (a device that failed after routing). */
void ioapic_mask(unsigned gsi);

#endif
