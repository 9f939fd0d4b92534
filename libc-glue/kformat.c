/* Runs musl's vsnprintf inside the kernel, see kformat.h. */
#include "libc-glue/kformat.h"

#include <stdint.h>
#include <stdio.h>

#include "kernel/arch/x86_64/cpu.h"

/* musl finds its thread descriptor at %fs:0 and the canary at %fs:0x28. A
 * zeroed page with a self pointer is a valid descriptor for the members we
 * call (they never take locks on a string FILE). */
static _Alignas(64) uint8_t kernel_tls[4096];
static _Alignas(64) uint8_t fpu_area[4096];
static unsigned long long fpu_mask;
static int depth;

void libc_glue_init(unsigned xsave_size, unsigned long long xsave_mask)
{
	*(uint64_t *)kernel_tls = (uint64_t)(uintptr_t)kernel_tls;
	*(uint64_t *)(kernel_tls + 0x28) = 0x5f3759df0badc0deull ^ rdtsc();
	/* A save area larger than ours (AMX) falls back to the legacy 512 bytes. */
	fpu_mask = xsave_size <= sizeof fpu_area ? xsave_mask : 0;
}

static void fpu_save(void)
{
	if (fpu_mask)
		__asm__ volatile("xsave64 %0" : "=m"(fpu_area) : "a"((uint32_t)fpu_mask), "d"((uint32_t)(fpu_mask >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 %0" : "=m"(fpu_area)::"memory");
}

static void fpu_restore(void)
{
	if (fpu_mask)
		__asm__ volatile("xrstor64 %0" ::"m"(fpu_area), "a"((uint32_t)fpu_mask), "d"((uint32_t)(fpu_mask >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 %0" ::"m"(fpu_area) : "memory");
}

/* Nested entries (a panic while formatting) keep the outer entry's state. */
static uint64_t libc_enter(void)
{
	if (depth++)
		return 0;
	uint64_t app_fs = rdmsr(MSR_FS_BASE);
	wrmsr(MSR_FS_BASE, (uintptr_t)kernel_tls);
	fpu_save();
	return app_fs;
}

static void libc_leave(uint64_t app_fs)
{
	if (--depth)
		return;
	fpu_restore();
	wrmsr(MSR_FS_BASE, app_fs);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	uint64_t saved = libc_enter();
	int n = vsnprintf(buf, size, fmt, ap);
	libc_leave(saved);
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
