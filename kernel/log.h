/* Kernel messages: klog (shown with --verbose), kwarn (always shown, as
 * "sole: ..." lines) and panic (a crash record, then power off). */
#ifndef SOLE_LOG_H
#define SOLE_LOG_H

#include <stdbool.h>

void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kwarn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Early messages are held until the boot configuration says whether the
 * host wants them. */
void log_set_verbose(bool verbose);

#endif
