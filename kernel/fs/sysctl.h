/* The tunables under /proc/sys: numbers that programs read to learn the
 * kernel's limits and that root may change, each owned by the subsystem that
 * enforces it (pid_max by kernel/proc/pid.c, the SysV limits by kernel/ipc,
 * pipe-max-size by kernel/fs/pipe.c). procfs makes a file of each. */
#ifndef SOLE_SYSCTL_H
#define SOLE_SYSCTL_H

#include <stddef.h>

#include "kernel/strbuf.h"

struct sysctl {
	const char *path;      /* under /proc/sys */
	unsigned long *values; /* count numbers, written on one line */
	int count;
	unsigned long min, max; /* for every value; a write outside is EINVAL */
	bool read_only;
};

extern const struct sysctl sysctls[];
extern const int sysctl_count;

void sysctl_format(const struct sysctl *s, struct strbuf *out);
/* Parses text (what a write(2) to the file carried) into s's values: all
 * of them or none. 0, -EINVAL for a malformed or out-of-bounds number, or
 * -EPERM when the caller is not root. */
int sysctl_store(const struct sysctl *s, const char *text);

#endif
