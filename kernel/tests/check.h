/* Assertions for the host unit tests of kernel parts: a failed check prints
 * file:line and the values, and counts; the run goes on to the end. */
#ifndef SOLE_KERNEL_TESTS_CHECK_H
#define SOLE_KERNEL_TESTS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_total, check_failed;

static inline bool check_true(bool ok, const char *expr, const char *file, int line)
{
	check_total++;
	if (!ok) {
		check_failed++;
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", file, line, expr);
	}
	return ok;
}

/* Values are compared as 64-bit unsigned and printed both ways, so one
 * macro serves sizes, addresses, signed results and pointers. */
static inline bool check_eq(uint64_t a, uint64_t b, const char *ea, const char *eb, const char *file, int line)
{
	check_total++;
	if (a != b) {
		check_failed++;
		fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: %lld (0x%llx) != %lld (0x%llx)\n", file, line, ea, eb,
		        (long long)a, (unsigned long long)a, (long long)b, (unsigned long long)b);
	}
	return a == b;
}

static inline bool check_streq(const char *a, const char *b, const char *ea, const char *eb, const char *file, int line)
{
	bool ok = a == b || (a && b && strcmp(a, b) == 0);
	check_total++;
	if (!ok) {
		check_failed++;
		fprintf(stderr, "%s:%d: CHECK_STREQ(%s, %s) failed: \"%s\" != \"%s\"\n", file, line, ea, eb,
		        a ? a : "(null)", b ? b : "(null)");
	}
	return ok;
}

#define CHECK(cond) check_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) check_eq((uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STREQ(a, b) check_streq((a), (b), #a, #b, __FILE__, __LINE__)

/* One summary line; the value to return from main. */
static inline int check_summary(const char *program)
{
	printf("%s: %d checks, %d failed\n", program, check_total, check_failed);
	return check_failed ? 1 : 0;
}

#endif
