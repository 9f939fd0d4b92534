/* Starting the application processors: the CPUs beyond the boot one that
 * the firmware's ACPI tables list (QEMU's -smp, which sole run --cpus sets). */
#ifndef SOLE_SMP_H
#define SOLE_SMP_H

/* The page below 1 MiB where an AP starts (its STARTUP IPI's vector 0x08). */
#define AP_TRAMPOLINE_PHYS 0x8000

#ifndef __ASSEMBLER__
#include <stdint.h>

struct percpu;

/* Starts every AP the MADT lists and waits until each runs kernel code;
 * from then on the kernel lock is real and the boot CPU holds it. The APs
 * wait for threads to run. rsdp_phys is start_info's, 0 when it has none. */
void smp_start(uint64_t rsdp_phys);

/* Where an AP arrives from ap_trampoline.S. */
void ap_entry(struct percpu *cpu) __attribute__((noreturn));
#endif

#endif
