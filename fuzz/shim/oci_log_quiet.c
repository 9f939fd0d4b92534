/* Stands in for tools/oci/oci_log.c in the fuzz targets: sole-oci's
 * messages are formatted (so that a bad argument still shows) but not
 * printed or logged, since a fuzzer feeds millions of malformed files. */
#include <stdarg.h>
#include <stdio.h>

#include "oci_log.h"

static void format_quietly(const char *format, va_list args)
{
	char line[512];
	vsnprintf(line, sizeof line, format, args);
}

void oci_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	format_quietly(format, args);
	va_end(args);
}

void oci_debug(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	format_quietly(format, args);
	va_end(args);
}
