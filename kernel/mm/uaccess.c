/* Checked user copies, see uaccess.h. SMAP stays on except inside the copy
 * loops (stac/clac). */
#include "kernel/mm/uaccess.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/errno.h"

size_t uaccess_copy(void *dst, const void *src, size_t n);
size_t uaccess_zero(void *dst, size_t n);

struct exception_entry {
	uintptr_t insn, fixup;
};
extern const struct exception_entry __ex_table_start[], __ex_table_end[];

static inline void user_access_begin(void)
{
	if (cpu_features.smap)
		__asm__ volatile("stac" ::: "memory");
}
static inline void user_access_end(void)
{
	if (cpu_features.smap)
		__asm__ volatile("clac" ::: "memory");
}

int copy_from_user(void *dst, const void *user_src, size_t n)
{
	if (!user_range_ok(user_src, n))
		return -EFAULT;
	user_access_begin();
	size_t left = uaccess_copy(dst, user_src, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

int copy_to_user(void *user_dst, const void *src, size_t n)
{
	if (!user_range_ok(user_dst, n))
		return -EFAULT;
	user_access_begin();
	size_t left = uaccess_copy(user_dst, src, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

int clear_user(void *user_dst, size_t n)
{
	if (!user_range_ok(user_dst, n))
		return -EFAULT;
	user_access_begin();
	size_t left = uaccess_zero(user_dst, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *user_src, size_t max)
{
	/* Copy page by page: a string may end just before an unmapped page. */
	size_t done = 0;
	while (done < max) {
		uintptr_t at = (uintptr_t)user_src + done;
		size_t chunk = PAGE_SIZE - (at & (PAGE_SIZE - 1));
		if (chunk > max - done)
			chunk = max - done;
		if (copy_from_user(dst + done, (const void *)at, chunk))
			return -EFAULT;
		const char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

int copy_struct_from_user(void *dst, size_t kernel_size, const void *user_src, size_t user_size)
{
	const uint8_t *src = user_src;
	for (size_t off = kernel_size; off < user_size; off++) {
		uint8_t byte;
		if (copy_from_user(&byte, src + off, 1))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	memset(dst, 0, kernel_size);
	return copy_from_user(dst, src, user_size < kernel_size ? user_size : kernel_size) ? -EFAULT : 0;
}

uintptr_t exception_fixup(uintptr_t rip)
{
	for (const struct exception_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
