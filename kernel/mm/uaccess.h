/* Checked copies between the kernel and the app's memory. A bad pointer
 * gives -EFAULT, never a kernel fault: the copy loops carry exception-table
 * entries that the page-fault handler jumps through. */
#ifndef SOLE_UACCESS_H
#define SOLE_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/layout.h"

static inline bool user_range_ok(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;
	return a + n >= a && a + n <= USER_TOP;
}

int copy_from_user(void *dst, const void *user_src, size_t n);
int copy_to_user(void *user_dst, const void *src, size_t n);
int clear_user(void *user_dst, size_t n);
/* Copies a NUL-terminated string of at most max-1 bytes. Returns its
 * length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, const char *user_src, size_t max);

/* Copies an extensible struct (clone3, openat2, sched_setattr), as Linux's
 * copy_struct_from_user: the app's user_size bytes into the kernel's
 * kernel_size, a shorter one read as zeros, a longer one that must be zeros
 * past what the kernel knows. 0, -EFAULT, or -E2BIG for a nonzero byte
 * there. The callers check the size's bounds first. */
int copy_struct_from_user(void *dst, size_t kernel_size, const void *user_src, size_t user_size);

/* Where a faulting kernel instruction continues, or 0 if it has no entry. */
uintptr_t exception_fixup(uintptr_t rip);

#endif
