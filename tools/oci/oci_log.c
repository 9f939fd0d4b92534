/* sole-oci's messages, see oci_log.h. */
#include "oci_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "json_reader.h"

static FILE *log_file;
static bool log_json, log_debug;

void oci_log_open(const char *path, bool json)
{
	log_json = json;
	if (path && !(log_file = fopen(path, "ae")))
		fprintf(stderr, "sole-oci: cannot open the log %s\n", path);
}

void oci_log_set_debug(bool on) { log_debug = on; }

static void log_line(const char *level, const char *format, va_list args)
{
	char message[2048], when[64];
	time_t now = time(NULL);
	struct tm tm;

	vsnprintf(message, sizeof message, format, args);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(stderr, "sole-oci: %s\n", message);
	if (!log_file)
		return;
	if (log_json) {
		fprintf(log_file, "{\"level\":\"%s\",\"msg\":", level);
		json_write_string(log_file, message);
		fprintf(log_file, ",\"time\":\"%s\"}\n", when);
	} else {
		fprintf(log_file, "%s %s %s\n", when, level, message);
	}
	fflush(log_file);
}

void oci_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	log_line("error", format, args);
	va_end(args);
}

void oci_debug(const char *format, ...)
{
	va_list args;
	if (!log_debug)
		return;
	va_start(args, format);
	log_line("debug", format, args);
	va_end(args);
}
