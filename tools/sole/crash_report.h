/* Turns the crash record the kernel sent (docs/crash-record.md) into a report
 * on stderr: what killed the app or the kernel, a backtrace named with
 * symbols and source lines, and the registers. */
#ifndef SOLE_CRASH_REPORT_H
#define SOLE_CRASH_REPORT_H

#include <stdio.h>

#include "crash_objects.h"
#include "string_list.h"

/* Prints the report for the record's lines and returns the exit status it
 * calls for: 128+signal for the app, 125 for a kernel panic. */
int crash_report_print(FILE *out, const struct string_list *lines, const struct crash_context *context);

#endif
