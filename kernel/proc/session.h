/* Process groups and sessions (kernel/proc/session.c): setpgid and setsid
 * with Linux's rules. There is no controlling terminal yet. */
#ifndef SOLE_SESSION_H
#define SOLE_SESSION_H

struct process;

/* Moves target (the caller or one of its children) into group pgid (0:
 * its own pid). 0, -ESRCH, -EPERM or -EACCES (a child that has exec'd). */
int session_set_group(struct process *target, int pgid);
/* Makes the caller the leader of a new session and group: its pid, or
 * -EPERM when it already leads a group. */
int session_create(void);

#endif
