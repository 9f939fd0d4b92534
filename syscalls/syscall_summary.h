/* Per-syscall counters for `sole run --syscall-summary`: calls, errors,
 * ENOSYS answers and TSC time. At exit, one "NR CALLS ERRORS ENOSYS
 * NANOSECONDS" line per syscall made (NR -1 gathers numbers past the table)
 * goes to the host on the summary stream, if the boot configuration asked. */
#ifndef SOLE_SYSCALLS_SYSCALL_SUMMARY_H
#define SOLE_SYSCALLS_SYSCALL_SUMMARY_H

#include <stdint.h>

/* Counts one call of nr that returned ret after tsc_cycles. */
void syscall_summary_record(long nr, long ret, uint64_t tsc_cycles);

#endif
