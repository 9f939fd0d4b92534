/* The types behind the tables that gen_syscalls.py generates from syscalls.tbl:
 * syscall_info[] (kernel and host tool) and syscall_handlers[] (kernel only). */
#ifndef SOLE_SYSCALLS_SYSCALL_TABLE_H
#define SOLE_SYSCALLS_SYSCALL_TABLE_H

#include <stddef.h>

/* The highest syscall number in the host's asm/unistd_64.h, plus one. Both
 * generated files check this with a _Static_assert, so a newer linux-libc-dev
 * fails the build here instead of indexing past the tables. */
#define SYSCALL_COUNT 451

/* A stub returns a fixed answer and never counts as implemented. Holes in the
 * number range and unlisted numbers read as SYSCALL_NONE (zero). */
enum syscall_status {
	SYSCALL_NONE = 0,
	SYSCALL_STUB,
	SYSCALL_PARTIAL,
	SYSCALL_FULL,
};

enum syscall_family {
	SYSCALL_FAMILY_FS,
	SYSCALL_FAMILY_MM,
	SYSCALL_FAMILY_PROCESS,
	SYSCALL_FAMILY_SCHED,
	SYSCALL_FAMILY_TIME,
	SYSCALL_FAMILY_SIGNAL,
	SYSCALL_FAMILY_POLL,
	SYSCALL_FAMILY_NET,
	SYSCALL_FAMILY_IPC,
	SYSCALL_FAMILY_SECURITY,
	SYSCALL_FAMILY_MISC,
	SYSCALL_FAMILY_COUNT,
};

/* One row of syscalls.tbl.
 *
 * args tells the tracer how to print the arguments: comma-separated
 * "code:name" items, one per argument in order, or "" for a syscall that takes
 * none, or NULL when not described (print three hex values). Codes:
 *   i signed decimal    u unsigned decimal    x hex (flags)    p pointer
 *   s NUL-terminated user string (NULL pointer printed as NULL)
 *   o octal (modes)     f fd (decimal, AT_FDCWD printed by name)
 *   w input buffer whose length is the next argument (escaped, first 32 bytes)
 *   r output buffer, printed after the call with the return value as length
 * note says what a partial row lacks or what a stub answers; never NULL. */
struct syscall_info {
	const char *name; /* NULL for a number Linux does not use */
	enum syscall_status status;
	enum syscall_family family;
	const char *args;
	const char *note;
};

/* Handlers are defined with their real parameter types (long sys_read(int fd,
 * void *buf, size_t count)) and called through this type; on x86_64 each
 * argument arrives in its register either way. Parameters must therefore be
 * types that default promotions leave alone: int, long, their unsigned forms,
 * size_t, pointers; never char, short or float. */
typedef long (*syscall_handler)(long, long, long, long, long, long);

extern const struct syscall_info syscall_info[SYSCALL_COUNT];
extern const syscall_handler syscall_handlers[SYSCALL_COUNT]; /* kernel only */

/* The row for nr, or NULL when nr is out of range or a hole. */
static inline const struct syscall_info *syscall_lookup(long nr)
{
	if (nr < 0 || nr >= SYSCALL_COUNT || !syscall_info[nr].name)
		return NULL;
	return &syscall_info[nr];
}

/* Full and partial count as implemented; stubs and none do not. */
static inline int syscall_is_implemented(enum syscall_status status)
{
	return status == SYSCALL_FULL || status == SYSCALL_PARTIAL;
}

/* The spelling used in syscalls.tbl and docs/SYSCALLS.md. */
static inline const char *syscall_status_name(enum syscall_status status)
{
	switch (status) {
	case SYSCALL_NONE:
		return "none";
	case SYSCALL_STUB:
		return "stub";
	case SYSCALL_PARTIAL:
		return "partial";
	case SYSCALL_FULL:
		return "full";
	}
	return "?";
}

static inline const char *syscall_family_name(enum syscall_family family)
{
	switch (family) {
	case SYSCALL_FAMILY_FS:
		return "fs";
	case SYSCALL_FAMILY_MM:
		return "mm";
	case SYSCALL_FAMILY_PROCESS:
		return "process";
	case SYSCALL_FAMILY_SCHED:
		return "sched";
	case SYSCALL_FAMILY_TIME:
		return "time";
	case SYSCALL_FAMILY_SIGNAL:
		return "signal";
	case SYSCALL_FAMILY_POLL:
		return "poll";
	case SYSCALL_FAMILY_NET:
		return "net";
	case SYSCALL_FAMILY_IPC:
		return "ipc";
	case SYSCALL_FAMILY_SECURITY:
		return "security";
	case SYSCALL_FAMILY_MISC:
		return "misc";
	case SYSCALL_FAMILY_COUNT:
		break;
	}
	return "?";
}

#endif
