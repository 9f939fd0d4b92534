/* QEMU's TCG keeps a software TLB per privilege level that starts at 256
 * entries and is resized only when the guest flushes it (its
 * tlb_mmu_resize_locked runs on a flush, doubling the table when more than
 * 70% of it was used since the last one). sole has no timer tick and
 * writes CR3 only when it switches address spaces, so a lone busy process
 * never flushes: its TLB stays at 256 entries, and an app whose working set
 * is larger (sqlite with its page cache) spends much of its time refilling
 * entries from the page tables. Linux flushes often enough on its own.
 *
 * So entries from user mode reload CR3 once every TLB_REFRESH_MS: a few
 * flushes grow the TLB to fit, later ones keep it from shrinking, and each
 * costs one refill of the working set, well under 1% at this period, on
 * TCG as on hardware. Reading the TSC is a helper call under TCG, so only
 * every TLB_REFRESH_CHECK_EVERY-th entry reads it. */
#include "kernel/mm/tlb_refresh.h"

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/time.h"

unsigned tlb_refresh_entries;
static uint64_t last_reload;
static uint64_t period; /* TLB_REFRESH_MS in TSC ticks, once the TSC is calibrated */

void tlb_refresh_check(void)
{
	if (!period)
		period = time_tsc_hz() / 1000 * TLB_REFRESH_MS;
	uint64_t now = rdtsc();
	if (now - last_reload < period)
		return;
	last_reload = now;
	write_cr3(read_cr3());
}
