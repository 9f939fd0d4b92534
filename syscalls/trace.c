/* strace-style formatting of syscalls, driven by the args column of
 * syscalls.tbl (see syscall_table.h for the codes). */
#include "syscalls/trace.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "libc-glue/kformat.h"
#include "syscalls/syscall_table.h"

#define AT_FDCWD_VALUE -100
#define SHOWN_BYTES 32

struct line {
	char buf[512];
	size_t len;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...)
{
	if (l->len >= sizeof l->buf - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(l->buf + l->len, sizeof l->buf - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof l->buf - l->len ? (size_t)n : sizeof l->buf - l->len - 1;
}

static void put_escaped(struct line *l, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == '\n')
			put(l, "\\n");
		else if (c == '\t')
			put(l, "\\t");
		else if (c == '"' || c == '\\')
			put(l, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			put(l, "%c", c);
		else
			put(l, "\\%o", c);
	}
}

static void put_user_bytes(struct line *l, long addr, long len)
{
	uint8_t bytes[SHOWN_BYTES];
	size_t n = len < 0 ? 0 : (size_t)len < sizeof bytes ? (size_t)len : sizeof bytes;
	if (copy_from_user(bytes, (const void *)addr, n)) {
		put(l, "0x%lx", addr);
		return;
	}
	put(l, "\"");
	put_escaped(l, bytes, n);
	put(l, (size_t)len > n ? "\"..." : "\"");
}

static void put_user_string(struct line *l, long addr)
{
	char s[SHOWN_BYTES * 2 + 1];
	if (!addr) {
		put(l, "NULL");
		return;
	}
	long n = strncpy_from_user(s, (const char *)addr, sizeof s);
	if (n == -EFAULT) {
		put(l, "0x%lx", addr);
		return;
	}
	put(l, "\"");
	put_escaped(l, (const uint8_t *)s, n < 0 ? sizeof s - 1 : (size_t)n);
	put(l, n < 0 ? "\"..." : "\"");
}

static void put_arg(struct line *l, char code, long value, long next, long ret, bool finished)
{
	switch (code) {
	case 'i':
		put(l, "%ld", value);
		break;
	case 'u':
		put(l, "%lu", (unsigned long)value);
		break;
	case 'o':
		put(l, "0%lo", (unsigned long)value);
		break;
	case 'f':
		if ((int)value == AT_FDCWD_VALUE)
			put(l, "AT_FDCWD");
		else
			put(l, "%d", (int)value);
		break;
	case 's':
		put_user_string(l, value);
		break;
	case 'w':
		put_user_bytes(l, value, next);
		break;
	case 'r':
		if (finished && ret >= 0)
			put_user_bytes(l, value, ret);
		else
			put(l, "0x%lx", value);
		break;
	default: /* x, p */
		put(l, value ? "0x%lx" : "0", value);
		break;
	}
}

static void put_args(struct line *l, const char *spec, const long args[6], long ret, bool finished)
{
	if (!spec) {
		put(l, "0x%lx, 0x%lx, 0x%lx", args[0], args[1], args[2]);
		return;
	}
	int i = 0;
	for (const char *p = spec; *p && i < 6; i++) {
		if (i)
			put(l, ", ");
		put_arg(l, *p, args[i], i < 5 ? args[i + 1] : 0, ret, finished);
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
}

void trace_syscall(long nr, const long args[6], long ret, bool finished)
{
	struct line l = {.len = 0};
	const struct syscall_info *info = syscall_lookup(nr);
	if (info)
		put(&l, "%s(", info->name);
	else
		put(&l, "syscall_%ld(", nr);
	put_args(&l, info ? info->args : NULL, args, ret, finished);
	if (!finished)
		put(&l, ") = ?");
	else if (ret < 0 && ret > -4096)
		put(&l, ") = -1 %s", errno_name((int)-ret));
	else if (ret > 0xffff || ret < -0xffff)
		put(&l, ") = 0x%lx", ret);
	else
		put(&l, ") = %ld", ret);
	l.buf[l.len < sizeof l.buf - 1 ? l.len++ : l.len - 1] = '\n';
	console_write(WIRE_TRACE, l.buf, l.len);
}
