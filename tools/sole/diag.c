/* Messages from sole to the user on stderr, each one line prefixed "sole: ". */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static void print_message(const char *prefix, const char *format, va_list args)
{
	fputs(prefix, stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

void sole_error(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	print_message("sole: ", format, args);
	va_end(args);
}

void sole_warning(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	print_message("sole: warning: ", format, args);
	va_end(args);
}
