/* CPU feature discovery and the control-register set-up done at boot, on
 * each CPU. */
#ifndef SOLE_CPU_SETUP_H
#define SOLE_CPU_SETUP_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	bool rdrand;
	bool rdseed;
	bool smap;
	uint32_t xsave_size;
	uint64_t xsave_mask; /* 0: fxsave only */
};

extern struct cpu_features cpu_features;

/* The boot CPU's: the CPU's set-up, then the kernel's formatting library's. */
void cpu_setup(void);
/* Each application processor's: the same registers, on that CPU. */
void cpu_setup_ap(void);
/* Builds the IDT and loads it; idt_load loads it on another CPU. */
void idt_init(void);
void idt_load(void);

#endif
