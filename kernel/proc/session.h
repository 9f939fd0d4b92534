/* Process groups and sessions (kernel/proc/session.c): setpgid and setsid
 * with Linux's rules. A session's controlling terminal is kernel/tty's. */
#ifndef SOLE_SESSION_H
#define SOLE_SESSION_H

#include <stdbool.h>

struct process;

/* Moves target (the caller or one of its children) into group pgid (0:
 * its own pid). 0, -ESRCH, -EPERM or -EACCES (a child that has exec'd). */
int session_set_group(struct process *target, int pgid);
/* Makes the caller the leader of a new session and group: its pid, or
 * -EPERM when it already leads a group. */
int session_create(void);
/* POSIX's orphaned process group: no member has its parent in another group
 * of the same session, so no shell is there to continue it. pid 1, whose
 * parent is outside the VM, counts as a container's init does. */
bool session_group_orphaned(int pgid);

#endif
