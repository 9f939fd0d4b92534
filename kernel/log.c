/* Kernel log lines on the console's log and warning streams. */
#include "kernel/log.h"

#include <stdarg.h>
#include <string.h>

#include "kernel/console.h"
#include "libc-glue/kformat.h"

static bool verbose_known;
static bool verbose;
static char early_log[4096];
static size_t early_log_len;

void log_set_verbose(bool on)
{
	verbose = on;
	verbose_known = true;
	if (verbose)
		console_write(WIRE_LOG, early_log, early_log_len);
	early_log_len = 0;
}

static size_t format_line(char *line, size_t size, const char *fmt, va_list ap)
{
	int n = kvsnprintf(line, size - 1, fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n >= size - 1 ? size - 2 : (size_t)n;
	line[len++] = '\n';
	return len;
}

void klog(const char *fmt, ...)
{
	if (verbose_known && !verbose)
		return;
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	size_t len = format_line(line, sizeof line, fmt, ap);
	va_end(ap);
	if (verbose) {
		console_write(WIRE_LOG, line, len);
	} else if (early_log_len + len <= sizeof early_log) {
		memcpy(early_log + early_log_len, line, len);
		early_log_len += len;
	}
}

void kwarn(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	size_t len = format_line(line, sizeof line, fmt, ap);
	va_end(ap);
	console_write(WIRE_WARN, line, len);
}
