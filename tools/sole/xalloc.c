/* Allocation that cannot fail: when the host is out of memory sole has nothing
 * better to do than say so and stop, so these never return NULL. */
#define _GNU_SOURCE
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"

static void *check_allocation(void *pointer)
{
	if (!pointer) {
		fputs("sole: out of memory on the host\n", stderr);
		exit(EXIT_SOLE_ERROR);
	}
	return pointer;
}

void *xmalloc(size_t size)
{
	return check_allocation(malloc(size ? size : 1));
}

void *xcalloc(size_t count, size_t size)
{
	return check_allocation(calloc(count ? count : 1, size ? size : 1));
}

void *xrealloc(void *old, size_t size)
{
	return check_allocation(realloc(old, size ? size : 1));
}

char *xstrdup(const char *text)
{
	return check_allocation(strdup(text));
}

char *xasprintf(const char *format, ...)
{
	va_list args;
	char *result;

	va_start(args, format);
	int length = vasprintf(&result, format, args);
	va_end(args);
	return check_allocation(length < 0 ? NULL : result);
}
