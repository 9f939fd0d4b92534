/* The page the kernel shares read-only with the app's vDSO: what the vDSO
 * needs to read the clocks without a syscall. Both sides include it. */
#ifndef SOLE_VDSO_DATA_H
#define SOLE_VDSO_DATA_H

#include <stdint.h>

/* A ring-3 segment in each CPU's GDT whose limit is (node << 12) | CPU,
 * which the vDSO's getcpu reads with LSL, as Linux's does. */
#define CPU_NUMBER_SELECTOR 0x43

struct vdso_data {
	uint64_t tsc_at_boot;
	uint64_t ns_per_tick_x32;     /* ns = (tsc - tsc_at_boot) * this >> 32 */
	uint64_t realtime_at_boot_ns; /* CLOCK_REALTIME at tsc_at_boot */
};

#endif
