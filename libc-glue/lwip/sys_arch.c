/* What lwIP asks of its host when it runs without an OS layer: a
 * millisecond clock, diagnostics, assertions and random numbers. */
#include <stdarg.h>

#include "arch/cc.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/panic.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "libc-glue/kformat.h"
#include "lwip/sys.h"

u32_t sys_now(void) { return (u32_t)(time_monotonic_ns() / 1000000); }

void *lwip_port_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return kzalloc(count * size);
}

void lwip_port_diag(const char *format, ...)
{
	char line[256];
	va_list args;
	va_start(args, format);
	kvsnprintf(line, sizeof line, format, args);
	va_end(args);
	klog("lwip: %s", line);
}

void lwip_port_assert(const char *message, const char *file, int line)
{
	panic("lwIP assertion failed: %s (%s:%d)", message, file, line);
}

uint32_t lwip_port_rand(void)
{
	uint32_t value;
	random_fill(&value, sizeof value);
	return value;
}
