/* Process groups and sessions, see session.h. Groups are found by scanning
 * every process: setpgid and setsid are rare, and a VM runs few. */
#include "kernel/proc/session.h"

#include "kernel/errno.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"

static bool group_exists_in_session(int pgid, int sid)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->sid == sid && p->state != PROCESS_REAPED)
			return true;
	return false;
}

int session_set_group(struct process *target, int pgid)
{
	struct process *self = current_process();
	if (target != self && target->parent != self)
		return -ESRCH;
	if (target != self && target->did_exec)
		return -EACCES;
	if (target->sid != self->sid)
		return -EPERM;
	if (target->sid == target->pid)
		return -EPERM; /* a session leader stays in its group */
	if (!pgid)
		pgid = target->pid;
	if (pgid != target->pid && !group_exists_in_session(pgid, self->sid))
		return -EPERM;
	target->pgid = pgid;
	return 0;
}

bool session_group_orphaned(int pgid)
{
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid != pgid || p->state != PROCESS_ALIVE || !p->parent || p->parent->state != PROCESS_ALIVE)
			continue; /* an exiting parent links to nothing any more */
		if (p->parent->pgid != pgid && p->parent->sid == p->sid)
			return false;
	}
	return true;
}

int session_create(void)
{
	struct process *self = current_process();
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == self->pid && p->state != PROCESS_REAPED)
			return -EPERM;
	self->sid = self->pgid = self->pid;
	return self->sid;
}
