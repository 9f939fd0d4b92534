/* CPU feature discovery and the control-register set-up done once at boot. */
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

void cpu_setup(void);
void idt_init(void);

#endif
