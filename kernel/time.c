/* TSC-based clocks, see time.h. The boot measures the TSC against the PIT
 * and, in the same window, the local APIC timer. */
#include "kernel/time.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/log.h"
#include "kernel/vdso/vdso_map.h"
#include "platforms/platform.h"

#define CALIBRATION_MS 3

static uint64_t tsc_hz = 1000000000; /* until calibrated: 1 GHz */
/* The clock lives in the vDSO's data page, which the app's vDSO reads too:
 * ns = (tsc - tsc_at_boot) * ns_per_tick_x32 >> 32, a multiply and no
 * 128-bit division. */
static inline struct vdso_data *shared(void) { return vdso_data(); }

static struct pit_measurement calibration;
static bool calibrating;

/* Until the TSC is measured the monotonic clock stands at 0: it never runs
 * backwards when the real rate arrives. */
void time_init_begin(void)
{
	shared()->ns_per_tick_x32 = 0;
	shared()->tsc_at_boot = rdtsc();
	int64_t epoch = rtc_read_epoch_seconds();
	shared()->realtime_at_boot_ns = epoch > 0 ? (uint64_t)epoch * 1000000000ull : 0;
	lapic_start_calibration();
	calibrating = pit_measure_start(&calibration);
}

void time_init_finish(void)
{
	uint64_t hz = calibrating ? pit_measure_finish(&calibration, CALIBRATION_MS) : 0;
	if (hz)
		tsc_hz = hz;
	else
		kwarn("the PIT did not count; assuming a 1 GHz TSC, so clocks may run off");
	shared()->ns_per_tick_x32 = (1000000000ull << 32) / tsc_hz;
	/* The APIC timer counted through the same window. */
	lapic_finish_calibration(time_monotonic_ns());
	klog("time: TSC at %llu kHz", (unsigned long long)(tsc_hz / 1000));
}

uint64_t time_tsc_hz(void) { return tsc_hz; }

uint64_t time_monotonic_ns(void)
{
	uint64_t ticks = rdtsc() - shared()->tsc_at_boot;
	return (uint64_t)(((unsigned __int128)ticks * shared()->ns_per_tick_x32) >> 32);
}

uint64_t time_tsc_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * shared()->ns_per_tick_x32) >> 32);
}

uint64_t time_realtime_ns(void) { return shared()->realtime_at_boot_ns + time_monotonic_ns(); }

void time_set_realtime_ns(uint64_t ns) { shared()->realtime_at_boot_ns = ns - time_monotonic_ns(); }
