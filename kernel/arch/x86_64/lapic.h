/* The local APIC: its timer drives preemption and timeouts. */
#ifndef SOLE_LAPIC_H
#define SOLE_LAPIC_H

#include <stdint.h>

#define TIMER_VECTOR 0x20
#define RESCHEDULE_VECTOR 0xfd /* IPI: look at the run queue, or at a signal */
#define TLB_FLUSH_VECTOR 0xfe  /* IPI: flush the TLB (kernel/mm/tlb_shootdown.c) */
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
/* An application processor's APIC, once it runs kernel code: on, with its
 * timer at the boot CPU's rate. */
void lapic_init_ap(void);
/* Interprocessor interrupts: a vector, and the INIT and STARTUP (SIPI at
 * a page below 1 MiB) that bring an AP up. Each returns once sent. */
void lapic_send_ipi(uint8_t apic_id, uint8_t vector);
void lapic_send_init(uint8_t apic_id);
void lapic_send_startup(uint8_t apic_id, uint64_t start_phys);

#endif
