/* Waiting for children (kernel/proc/child_wait.c): the work of wait4,
 * waitid and waitpid: children that end, and with WUNTRACED (waitid's
 * WSTOPPED) and WCONTINUED those that stop or continue. */
#ifndef SOLE_CHILD_WAIT_H
#define SOLE_CHILD_WAIT_H

#include <stdint.h>

#include "kernel/sched/cputime.h"

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002 /* waitid's WSTOPPED */
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define WNOTHREAD 0x20000000 /* __WNOTHREAD */
#define WALL 0x40000000      /* __WALL */
#define WCLONE 0x80000000u   /* __WCLONE */

enum child_match { CHILD_ANY, CHILD_PID, CHILD_PGID };

/* Which children a wait names, and how it waits. */
struct child_selector {
	enum child_match match;
	int id;      /* the pid or process group */
	int options; /* the W* flags above */
};

/* What a wait reports about the child it found. */
struct child_report {
	int pid;
	int wait_status; /* as wait4 encodes it */
	uint32_t uid;
	struct cpu_times cpu; /* its CPU time and its reaped children's */
};

/* The pid of a child that ended (reaped unless WNOWAIT), or stopped or
 * continued as the options ask, filling *out; 0
 * with WNOHANG when none has ended yet; -ECHILD when no child matches;
 * -ERESTARTSYS when a signal interrupts the wait. */
long child_wait(const struct child_selector *sel, struct child_report *out);

#endif
