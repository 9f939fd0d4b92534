/* The 8254 PIT, used once at boot to measure the TSC's frequency: channel 0
 * counts down from 65536 at 1.193182 MHz while we read it back and watch
 * the TSC; the kernel boots on in between (pit_measure_start, _finish). Needs no speaker gate (port 0x61), which -M microvm lacks; sole
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

/* Waits for the count to change: the measurement starts and ends on a PIT
 * tick edge, so that the read-back latency does not blur it. Returns the
 * new count, or -1 when nothing counts (no PIT on this machine). */
static int next_edge(uint16_t from)
{
	for (uint32_t spins = 0; spins < 1000000; spins++) {
		uint16_t now = pit_count();
		if (now != from)
			return now;
	}
	return -1;
}

bool pit_measure_start(struct pit_measurement *m)
{
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0); /* reload value 65536 */
	int edge = next_edge(pit_count());
	if (edge < 0)
		return false;
	m->tsc_start = rdtsc();
	m->last_count = (uint16_t)edge;
	m->ticks = 0;
	return true;
}

/* The counter wraps every 55 ms: the caller must finish within that. */
uint64_t pit_measure_finish(struct pit_measurement *m, unsigned min_ms)
{
	uint32_t want = PIT_HZ * min_ms / 1000;
	do {
		int edge = next_edge(m->last_count);
		if (edge < 0)
			return 0;
		m->ticks += (uint16_t)(m->last_count - (uint16_t)edge); /* counts down, wraps at 65536 */
		m->last_count = (uint16_t)edge;
	} while (m->ticks < want);
	return (rdtsc() - m->tsc_start) * PIT_HZ / m->ticks;
}
