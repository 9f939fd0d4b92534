/* The local APIC: its timer drives preemption and timeouts. */
#ifndef SOLE_LAPIC_H
#define SOLE_LAPIC_H

#include <stdint.h>

#define TIMER_VECTOR 0x20
#define SPURIOUS_VECTOR 0xff

/* Maps and enables the APIC and starts its timer counting down; finish
 * takes the time that passed since (the boot's clock calibration window)
 * and works out the timer's rate from it. */
void lapic_start_calibration(void);
void lapic_finish_calibration(uint64_t elapsed_ns);
/* Arms the one-shot timer to fire after ns nanoseconds (0: disarm). */
void lapic_timer_arm(uint64_t ns);
void lapic_eoi(void);
/* This CPU's APIC ID: where interrupt messages (MSI, IOAPIC) are sent. */
uint8_t lapic_id(void);

#endif
