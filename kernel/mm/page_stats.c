/* The once-a-second memory line of sole run --stats-file (page_stats.h):
 * "uptime_ms=U free_pages=F total_pages=T", pages of PAGE_SIZE bytes. */
#include "kernel/mm/page_stats.h"

#include <stdint.h>

#include "kernel/console.h"
#include "kernel/mm/page.h"
#include "kernel/time.h"
#include "libc-glue/kformat.h"
#include "platforms/console_wire.h"

#define PAGE_STATS_PERIOD_NS 1000000000ull

static uint64_t last_sent; /* monotonic ns; 0: never */

void page_stats_send_due(void)
{
	uint64_t now = time_monotonic_ns();
	if (last_sent && now - last_sent < PAGE_STATS_PERIOD_NS)
		return;
	last_sent = now;
	char line[96];
	int n = ksnprintf(line, sizeof line, "uptime_ms=%llu free_pages=%llu total_pages=%llu\n",
	                  (unsigned long long)(now / 1000000), (unsigned long long)page_free_count(),
	                  (unsigned long long)page_total_count());
	console_write(WIRE_STATS, line, (size_t)n);
}
