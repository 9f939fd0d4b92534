/* `sole coverage --run -- BINARY ARGS`: boots the program under sole with
 * --syscall-summary and reports the syscalls it really made, their statuses
 * and the ENOSYS answers, next to the static set. */
#ifndef SOLE_COVERAGE_COVERAGE_RUN_H
#define SOLE_COVERAGE_COVERAGE_RUN_H

#include <stdbool.h>

/* argv: BINARY and its arguments. Returns sole's exit status. */
int coverage_run(int argc, char **argv, bool json);

#endif
