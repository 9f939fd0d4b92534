/* kcmp: whether two processes share a kernel resource (their memory, fd
 * table, file-system context, signal handlers, or the file behind two fds),
 * as checkpoint/restore tools ask. Like Linux, the answer orders the two
 * objects by their addresses mixed with a secret cookie per type, so that
 * equality is exact and the order leaks nothing. */
#include <linux/kcmp.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/ipc/sem.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"

static uint64_t cookies[KCMP_TYPES][2];

/* 0 for the same object, 1 or 2 for an order that says nothing of where they are. */
static long compare(const void *a, const void *b, int type)
{
	if (!cookies[type][1]) {
		random_fill(cookies[type], sizeof cookies[type]);
		cookies[type][1] |= 1; /* odd: the multiplication keeps distinct values distinct */
	}
	uint64_t x = ((uint64_t)(uintptr_t)a ^ cookies[type][0]) * cookies[type][1];
	uint64_t y = ((uint64_t)(uintptr_t)b ^ cookies[type][0]) * cookies[type][1];
	return x == y ? 0 : x < y ? 1 : 2;
}

static const void *file_of(struct process *p, unsigned long fd)
{
	return fd > 0x7fffffff ? NULL : fd_get(p->files, (int)fd);
}

long sys_kcmp(int pid1, int pid2, int type, unsigned long idx1, unsigned long idx2)
{
	struct process *p1 = process_by_pid(pid1), *p2 = process_by_pid(pid2);
	if (!p1 || !p2 || !p1->as || !p2->as)
		return -ESRCH;
	if (!kill_permitted(p1, 0) || !kill_permitted(p2, 0))
		return -EPERM; /* Linux asks for ptrace read access to both */
	switch (type) {
	case KCMP_FILE: {
		const void *f1 = file_of(p1, idx1), *f2 = file_of(p2, idx2);
		return f1 && f2 ? compare(f1, f2, type) : -EBADF;
	}
	case KCMP_VM:
		return compare(p1->as, p2->as, type);
	case KCMP_FILES:
		return compare(p1->files, p2->files, type);
	case KCMP_FS:
		return compare(p1->fs, p2->fs, type);
	case KCMP_SIGHAND:
		return compare(p1->sighand, p2->sighand, type);
	case KCMP_IO:
		return 0; /* no process has an I/O context: all compare as Linux's NULL ones */
	case KCMP_SYSVSEM:
		/* undo lists are each process's own (CLONE_SYSVSEM shares none);
		 * two processes without one compare equal, as on Linux */
		return !sem_has_undo(p1) && !sem_has_undo(p2) ? 0 : compare(p1, p2, type);
	case KCMP_EPOLL_TFD:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}
