/* sole run --stats-file: once a second, a line with the page allocator's
 * free and total pages on the console's WIRE_STATS stream, which the host
 * writes to the file (bench/soak watches the guest's memory with it). */
#ifndef SOLE_PAGE_STATS_H
#define SOLE_PAGE_STATS_H

#include <stdbool.h>

#include "kernel/boot_config.h"

/* Sends the line if PAGE_STATS_PERIOD_NS passed since the last one. */
void page_stats_send_due(void);

/* Called on the way back from each syscall, in thread context (the
 * console may block there). A busy server makes syscalls all the time;
 * an idle one sends nothing until it wakes. */
static inline void page_stats_tick(void)
{
	if (boot_config.stats)
		page_stats_send_due();
}

#endif
