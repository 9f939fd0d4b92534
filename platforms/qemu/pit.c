/* The 8254 PIT, used once at boot to measure the TSC's frequency: channel 0
 * counts down from 65536 at 1.193182 MHz while we read it back and watch
 * the TSC. Needs no speaker gate (port 0x61), which -M microvm lacks; sole
 * run starts microvm with pit=on. */
#include "platforms/platform.h"

#include "kernel/arch/x86_64/cpu.h"

#define PIT_HZ 1193182u
#define PIT_CH0 0x40
#define PIT_CMD 0x43

static uint16_t pit_count(void)
{
	outb(PIT_CMD, 0x00); /* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	uint8_t hi = inb(PIT_CH0);
	return (uint16_t)(lo | hi << 8);
}

uint64_t pit_measure_tsc_hz(unsigned ms)
{
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0); /* reload value 65536 */
	uint32_t want = PIT_HZ * ms / 1000;
	uint16_t last = pit_count();
	uint64_t start = rdtsc();
	uint32_t elapsed = 0;
	for (uint64_t spins = 0; elapsed < want; spins++) {
		if (spins > 50000000)
			return 0; /* no PIT on this machine */
		uint16_t now = pit_count();
		elapsed += (uint16_t)(last - now); /* counts down, wraps at 65536 */
		last = now;
	}
	uint64_t end = rdtsc();
	return (end - start) * PIT_HZ / elapsed;
}
