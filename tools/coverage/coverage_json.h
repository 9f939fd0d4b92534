/* `sole coverage --json`: the analysis as one JSON object per binary, for
 * scripts (the soundness test and the compatibility report read it). */
#ifndef SOLE_COVERAGE_COVERAGE_JSON_H
#define SOLE_COVERAGE_COVERAGE_JSON_H

#include <stdio.h>

#include "coverage_analysis.h"

void coverage_print_json(FILE *out, const struct coverage_analysis *analysis);
/* A JSON string literal, quotes included. */
void json_print_string(FILE *out, const char *text);

#endif
