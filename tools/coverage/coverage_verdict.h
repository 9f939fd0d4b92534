/* How the syscalls a program may make split over sole's statuses, and the
 * one-line verdict every view of the coverage report shares. */
#ifndef SOLE_COVERAGE_COVERAGE_VERDICT_H
#define SOLE_COVERAGE_COVERAGE_VERDICT_H

#include "coverage_analysis.h"

enum verdict_kind {
	VERDICT_LIKELY,       /* every syscall it may make is implemented */
	VERDICT_STUBS,        /* some are stubs with fixed answers */
	VERDICT_ENOSYS,       /* some would return ENOSYS */
	VERDICT_NOT_RUNNABLE, /* sole refuses the binary before any syscall */
};

struct coverage_verdict {
	enum verdict_kind kind;
	int by_status[SYSCALL_FULL + 1]; /* indexed by enum syscall_status */
	int total;
	char text[512];
};

const char *verdict_kind_name(enum verdict_kind kind);
void coverage_verdict_of(const struct coverage_analysis *analysis, struct coverage_verdict *verdict);
/* "PIE, dynamic: 7 libraries" */
void coverage_describe_kind(const struct coverage_analysis *analysis, char *text, size_t size);

#endif
