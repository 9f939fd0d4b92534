/* Turns the crash record the kernel sent (docs/crash-record.md) into a report
 * on stderr: what killed the app or the kernel, the registers, and a
 * backtrace named with the kernel's and the app's symbol tables. */
#ifndef SOLE_CRASH_REPORT_H
#define SOLE_CRASH_REPORT_H

#include <stdio.h>

#include "string_list.h"

/* Where to find symbols for the addresses of a record. */
struct crash_context {
	const char *kernel_elf;
	const char *app_host_path;
	const char *app_guest_path;
};

/* Prints the report for the record's lines and returns the exit status it
 * calls for: 128+signal for the app, 125 for a kernel panic. */
int crash_report_print(FILE *out, const struct string_list *lines, const struct crash_context *context);

#endif
