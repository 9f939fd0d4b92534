/* The 8254 PIT, used once at boot to measure the TSC's frequency: channel 2
 * counts down a known interval while the TSC runs. */
#include "platforms/platform.h"

#include "kernel/arch/x86_64/cpu.h"

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

uint64_t pit_measure_tsc_hz(unsigned ms)
{
	uint32_t ticks = PIT_HZ * ms / 1000;
	uint8_t gate = inb(PIT_GATE);
	outb(PIT_GATE, (gate & ~0x02) | 0x01); /* speaker off, gate on */
	outb(PIT_CMD, 0xb0);                    /* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, ticks & 0xff);
	outb(PIT_CH2, ticks >> 8);
	uint64_t start = rdtsc();
	/* OUT2 (bit 5) rises when the count reaches zero. */
	uint64_t spins = 0;
	while (!(inb(PIT_GATE) & 0x20)) {
		if (++spins > 100000000)
			return 0;
	}
	uint64_t end = rdtsc();
	outb(PIT_GATE, gate);
	return (end - start) * 1000 / ms;
}
