/* Kernel panics, see panic.h. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/console.h"
#include "libc-glue/kformat.h"
#include "platforms/platform.h"

static panic_reporter reporter;

void panic_set_reporter(panic_reporter report) { reporter = report; }

void panic(const char *fmt, ...)
{
	char detail[200];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	console_panic();
	if (reporter)
		reporter(NULL, detail, (uint64_t)__builtin_frame_address(0));
	platform_poweroff(1);
}

void panic_in_trap(const struct trap_frame *f, const char *cause)
{
	console_panic();
	if (reporter)
		reporter(f, cause, 0);
	platform_poweroff(1);
}
