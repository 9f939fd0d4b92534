/* The kernel's door into musl's formatting code. Those musl
 * members read %fs (errno, the stack canary) and use SSE registers, so every
 * call goes through here: it lends them a kernel TLS block and keeps the
 * app's FS base and FPU state intact. Plain string functions (memcpy,
 * strlen, ...) touch neither and are called directly. */
#ifndef SOLE_KFORMAT_H
#define SOLE_KFORMAT_H

#include <stdarg.h>
#include <stddef.h>

int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Called once the CPU's FPU/XSAVE features are switched on. */
void libc_glue_init(unsigned xsave_size, unsigned long long xsave_mask);

#endif
