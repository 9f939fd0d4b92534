/* Stands in for tools/sole/diag.c in the fuzz targets: the messages are
 * formatted (so that a bad argument still shows) but not printed, since a
 * fuzzer feeds millions of malformed files. */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

static void format_quietly(const char *format, va_list args)
{
	char line[512];
	vsnprintf(line, sizeof line, format, args);
}

void sole_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	format_quietly(format, args);
	va_end(args);
}

void sole_warning(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	format_quietly(format, args);
	va_end(args);
}
