/* The 8254 PIT, used once at boot to measure the TSC's frequency: channel 0
 * counts down from 65536 at 1.193182 MHz while we read it back and watch
 * the TSC; the kernel boots on in between (pit_measure_start, _finish).
 * Needs no speaker gate (port 0x61), which -M microvm lacks; sole run
 * starts microvm with pit=on.
 *
 * The count wraps every 55 ms, and the boot in between (a large initrd,
 * or QEMU's thread waiting for a busy host) can take longer: counting
 * only the last wrap's worth made the TSC look up to 30 times faster and
 * every clock in the VM run that much slow. So a long window gets its
 * wraps back from a second, short measurement of the rate. */
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

/* Starts m on the next tick edge of a counting PIT: false when it stands. */
static bool begin_at_edge(struct pit_measurement *m)
{
	int edge = next_edge(pit_count());
	if (edge < 0)
		return false;
	m->tsc_start = rdtsc();
	m->start_count = m->last_count = (uint16_t)edge;
	m->ticks = 0;
	return true;
}

bool pit_measure_start(struct pit_measurement *m)
{
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0); /* reload value 65536 */
	return begin_at_edge(m);
}

/* Counts PIT ticks from m->last_count until at least want have passed;
 * false when the PIT stopped. Each step must come within 55 ms. */
static bool count_until(struct pit_measurement *m, uint64_t want)
{
	do {
		int edge = next_edge(m->last_count);
		if (edge < 0)
			return false;
		m->ticks += (uint16_t)(m->last_count - (uint16_t)edge); /* counts down, wraps at 65536 */
		m->last_count = (uint16_t)edge;
	} while (m->ticks < want);
	return true;
}

#define WRAP_TICKS 65536u
/* TSC ticks in one wrap of the PIT at the slowest TSC taken for possible
 * (200 MHz): a window shorter than this cannot have wrapped. */
#define TSC_TICKS_SURELY_UNWRAPPED (200000000ull * WRAP_TICKS / PIT_HZ)
#define SHORT_WINDOW_TICKS (PIT_HZ / 1000) /* 1 ms */

/* The TSC's rate over about 1 ms from now, measured so that no wrap can
 * hide in it: 0 when the PIT stopped. */
static uint64_t short_rate(void)
{
	for (int tries = 0; tries < 5; tries++) {
		struct pit_measurement m;
		if (!begin_at_edge(&m) || !count_until(&m, SHORT_WINDOW_TICKS))
			return 0;
		uint64_t tsc = rdtsc() - m.tsc_start;
		if (tsc < TSC_TICKS_SURELY_UNWRAPPED) /* else the host held QEMU a wrap long: again */
			return tsc * PIT_HZ / m.ticks;
	}
	return 0;
}

static uint64_t median_short_rate(void)
{
	uint64_t a = short_rate(), b = short_rate(), c = short_rate();
	if (a > b) {
		uint64_t t = a;
		a = b;
		b = t;
	}
	/* now a <= b: the median is b capped by c, or a when c is below it */
	return c >= b ? b : c >= a ? c : a;
}

uint64_t pit_measure_finish(struct pit_measurement *m, unsigned min_ms)
{
	if (!count_until(m, 1))
		return 0;
	if (rdtsc() - m->tsc_start < TSC_TICKS_SURELY_UNWRAPPED && !count_until(m, PIT_HZ * min_ms / 1000))
		return 0;
	uint64_t window = rdtsc() - m->tsc_start;
	if (window < TSC_TICKS_SURELY_UNWRAPPED)
		return window * PIT_HZ / m->ticks;
	/* Wraps may hide in the window: the short rate says how many ticks
	 * it took, near enough to pick the whole number of wraps. The median
	 * of three, since QEMU's thread may be held between a PIT read and
	 * its TSC read, and over seconds even 2% is a wrap. */
	uint64_t rate = median_short_rate();
	uint16_t end_count = pit_count();
	uint64_t tsc = rdtsc() - m->tsc_start;
	if (!rate)
		return 0;
	uint64_t within_wrap = (uint16_t)(m->start_count - end_count);
	uint64_t expected = tsc * PIT_HZ / rate;
	uint64_t wraps = expected > within_wrap ? (expected - within_wrap + WRAP_TICKS / 2) / WRAP_TICKS : 0;
	return tsc * PIT_HZ / (within_wrap + wraps * WRAP_TICKS);
}
