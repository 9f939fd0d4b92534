/* The CPUs the firmware describes: the local APICs of ACPI's MADT.
 * Entries that are only online-capable are for hot-plug and are left out,
 * as Linux leaves them offline. */
#ifndef SOLE_MADT_H
#define SOLE_MADT_H

#include <stdint.h>

/* Fills apic_ids with the APIC IDs of the enabled processors, the boot
 * processor's among them, and returns how many (at most max). 0 when no
 * ACPI tables are found: rsdp_phys is start_info's pointer, or 0 to search
 * the BIOS areas as ACPI allows. */
int madt_processors(uint64_t rsdp_phys, uint8_t *apic_ids, int max);

#endif
