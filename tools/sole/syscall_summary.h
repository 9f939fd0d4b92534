/* The table `sole run --syscall-summary` prints at exit, like strace -c:
 * per syscall the time, calls, errors, ENOSYS answers and sole's status,
 * built from the kernel's summary lines; and reading such a table back. */
#ifndef SOLE_SYSCALL_SUMMARY_H
#define SOLE_SYSCALL_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "string_list.h"

struct syscall_summary_row {
	long nr; /* -1: numbers past the x86_64 table */
	uint64_t calls;
	uint64_t errors; /* ENOSYS included */
	uint64_t enosys;
	uint64_t nanoseconds;
};

struct syscall_summary {
	struct syscall_summary_row *rows;
	size_t count;
};

/* From the kernel's "NR CALLS ERRORS ENOSYS NANOSECONDS" lines; a malformed
 * line is skipped. */
void syscall_summary_from_lines(const struct string_list *lines, struct syscall_summary *summary);
/* Prints the table, most time first. */
void syscall_summary_print(FILE *out, const struct syscall_summary *summary);
/* Reads a table syscall_summary_print wrote. Returns 0, or -1 when no row
 * could be read. */
int syscall_summary_read(FILE *in, struct syscall_summary *summary);
void syscall_summary_free(struct syscall_summary *summary);

#endif
