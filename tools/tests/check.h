/* A minimal assertion helper for the unit tests: report every failed check
 * with its line, and exit non-zero at the end if any failed. */
#ifndef SOLE_TEST_CHECK_H
#define SOLE_TEST_CHECK_H

#include <stdio.h>

static int checks_failed;

#define CHECK(condition)                                                                   \
	do {                                                                               \
		if (!(condition)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
				#condition);                                               \
			checks_failed++;                                                   \
		}                                                                          \
	} while (0)

#define CHECK_STRING(actual, expected)                                                     \
	do {                                                                               \
		const char *actual_ = (actual), *expected_ = (expected);                   \
		if (!actual_ || strcmp(actual_, expected_) != 0) {                         \
			fprintf(stderr, "%s:%d: got \"%s\", expected \"%s\"\n", __FILE__,  \
				__LINE__, actual_ ? actual_ : "(null)", expected_);        \
			checks_failed++;                                                   \
		}                                                                          \
	} while (0)

static inline int check_summary(const char *test)
{
	if (checks_failed)
		fprintf(stderr, "%s: %d checks failed\n", test, checks_failed);
	return checks_failed ? 1 : 0;
}

#endif
