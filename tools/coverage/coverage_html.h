/* `sole coverage --html DIR`: a static page (DIR/index.html) with a grid of
 * every x86_64 syscall coloured by sole's status, and per program the grid of
 * what it may make, the syscalls that are not implemented, and the verdict. */
#ifndef SOLE_COVERAGE_COVERAGE_HTML_H
#define SOLE_COVERAGE_COVERAGE_HTML_H

#include <stddef.h>

#include "coverage_analysis.h"

/* Returns 0, or -1 after printing why DIR could not be written. */
int coverage_write_html(const char *dir, const struct coverage_analysis *analyses, size_t count);

#endif
