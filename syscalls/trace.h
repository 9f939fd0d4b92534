/* --trace: strace-style lines for every syscall, on the trace stream. */
#ifndef SOLE_TRACE_H
#define SOLE_TRACE_H

#include <stdbool.h>

/* finished is false for a call that does not return (exit_group): the
 * line ends in "= ?" as strace prints it. */
void trace_syscall(long nr, const long args[6], long ret, bool finished);
const char *errno_name(int err);

#endif
