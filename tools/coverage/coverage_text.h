/* The plain-text views of a coverage analysis: the summary a user reads
 * first, and --details (every syscall with its status and who leads to it,
 * the numbers not recovered, the libraries). */
#ifndef SOLE_COVERAGE_COVERAGE_TEXT_H
#define SOLE_COVERAGE_COVERAGE_TEXT_H

#include <stdio.h>

#include "coverage_analysis.h"

void coverage_print_summary(FILE *out, const struct coverage_analysis *analysis);
void coverage_print_details(FILE *out, const struct coverage_analysis *analysis);

#endif
