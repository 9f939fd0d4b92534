/* A buffer that is either in the app's memory (reached through checked
 * copies) or in the kernel. File operations take one, so that read(2) and
 * kernel-internal transfers (sendfile, copy_file_range) share one path. */
#ifndef SOLE_IOBUF_H
#define SOLE_IOBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/mm/uaccess.h"

struct iobuf {
	uint8_t *base;
	bool user;
};

static inline struct iobuf user_buf(const void *p) { return (struct iobuf){(uint8_t *)p, true}; }
static inline struct iobuf kernel_buf(const void *p) { return (struct iobuf){(uint8_t *)p, false}; }

/* 0 or -EFAULT, like the copy functions. */
static inline int iobuf_put(struct iobuf b, size_t off, const void *src, size_t n)
{
	if (b.user)
		return copy_to_user(b.base + off, src, n);
	memcpy(b.base + off, src, n);
	return 0;
}

static inline int iobuf_get(void *dst, struct iobuf b, size_t off, size_t n)
{
	if (b.user)
		return copy_from_user(dst, b.base + off, n);
	memcpy(dst, b.base + off, n);
	return 0;
}

static inline int iobuf_zero(struct iobuf b, size_t off, size_t n)
{
	if (b.user)
		return clear_user(b.base + off, n);
	memset(b.base + off, 0, n);
	return 0;
}

#endif
