/* lwIP's compiler and platform header for sole: the kernel's libc (musl's
 * headers), its log for diagnostics, its panic for assertions and its
 * random source. */
#ifndef SOLE_LWIP_ARCH_CC_H
#define SOLE_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_NO_INTTYPES_H 0
#define LWIP_NO_LIMITS_H 0
#define LWIP_NO_CTYPE_H 0
#define LWIP_TIMEVAL_PRIVATE 0
#define LWIP_ERRNO_STDINCLUDE 1

void lwip_port_diag(const char *format, ...) __attribute__((format(printf, 1, 2)));
void lwip_port_assert(const char *message, const char *file, int line) __attribute__((noreturn));
uint32_t lwip_port_rand(void);

#define LWIP_PLATFORM_DIAG(x) lwip_port_diag x
#define LWIP_PLATFORM_ASSERT(x) lwip_port_assert(x, __FILE__, __LINE__)
#define LWIP_RAND() lwip_port_rand()

#endif
