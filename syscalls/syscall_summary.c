/* Per-syscall counters for `sole run --syscall-summary`: calls, errors,
 * ENOSYS answers and TSC time, sent to the host on the summary stream when
 * the app exits. */
#include "syscalls/syscall_summary.h"

#include "kernel/boot_config.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/proc/hooks.h"
#include "kernel/time.h"
#include "libc-glue/kformat.h"
#include "syscalls/syscall_table.h"

#define MAX_ERRNO 4095

struct syscall_counts {
	uint64_t calls;
	uint64_t errors; /* returned -1..-4095, ENOSYS included (as strace -c counts) */
	uint64_t enosys;
	uint64_t tsc_cycles;
};

static struct syscall_counts counts[SYSCALL_COUNT];
static struct syscall_counts out_of_range; /* numbers Linux x86_64 does not have */

void syscall_summary_record(long nr, long ret, uint64_t tsc_cycles)
{
	struct syscall_counts *c = nr >= 0 && nr < SYSCALL_COUNT ? &counts[nr] : &out_of_range;
	c->calls++;
	c->errors += ret < 0 && ret >= -MAX_ERRNO;
	c->enosys += ret == -ENOSYS;
	c->tsc_cycles += tsc_cycles;
}

static void send_line(long nr, const struct syscall_counts *c, uint64_t tsc_hz)
{
	char line[128];
	/* cycles to ns without overflow for any run shorter than centuries */
	uint64_t ns = tsc_hz ? c->tsc_cycles / tsc_hz * 1000000000u + c->tsc_cycles % tsc_hz * 1000000000u / tsc_hz : 0;
	int n = ksnprintf(line, sizeof line, "%ld %llu %llu %llu %llu\n", nr, (unsigned long long)c->calls,
	                  (unsigned long long)c->errors, (unsigned long long)c->enosys, (unsigned long long)ns);
	console_write(WIRE_SUMMARY, line, (size_t)n);
}

static void syscall_summary_send(void)
{
	if (!boot_config.syscall_summary)
		return;
	uint64_t tsc_hz = time_tsc_hz();
	for (long nr = 0; nr < SYSCALL_COUNT; nr++)
		if (counts[nr].calls)
			send_line(nr, &counts[nr], tsc_hz);
	if (out_of_range.calls)
		send_line(-1, &out_of_range, tsc_hz);
}
EXIT_REPORT(syscall_summary_send);
