/* `sole coverage --table`: sole's own syscall table at a glance, counts per
 * status and per family, read from the same generated data as docs/SYSCALLS.md. */
#ifndef SOLE_COVERAGE_COVERAGE_TABLE_H
#define SOLE_COVERAGE_COVERAGE_TABLE_H

#include <stdbool.h>
#include <stdio.h>

void coverage_print_table(FILE *out, bool json);

#endif
