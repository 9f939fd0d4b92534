/* kill's targets, see kill.h. The results follow Linux's: a group or a
 * broadcast succeeds when one process took the signal, fails with EPERM
 * when every one refused the caller, and with ESRCH when none matched. */
#include "kernel/proc/kill.h"

#include "kernel/errno.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

bool kill_permitted(const struct process *target, int sig)
{
	const struct credentials *me = &current_process()->cred;
	if (capable(CAP_KILL))
		return true;
	const struct credentials *them = &target->cred;
	if (me->euid == them->suid || me->euid == them->ruid || me->ruid == them->suid || me->ruid == them->ruid)
		return true;
	return sig == SIGCONT && target->sid == current_process()->sid;
}

long kill_process(struct process *target, const struct signal_info *info)
{
	if (!kill_permitted(target, info->signo))
		return -EPERM;
	if (!info->signo || target->state != PROCESS_ALIVE)
		return 0;
	return signal_send_process(target, info);
}

/* Signals every process for which pick says yes; the caller's own last,
 * since a fatal signal to itself does not return. */
static long kill_many(bool (*pick)(const struct process *p, int arg), int arg, const struct signal_info *info)
{
	struct process *self = current_process();
	bool found = false, sent = false;
	long last_error = -ESRCH;
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p == self || !pick(p, arg))
			continue;
		found = true;
		long err = kill_process(p, info);
		if (!err)
			sent = true;
		else
			last_error = err;
	}
	if (pick(self, arg)) {
		found = true;
		long err = kill_process(self, info);
		if (!err)
			sent = true;
		else
			last_error = err;
	}
	return sent ? 0 : found ? last_error : -ESRCH;
}

static bool in_group(const struct process *p, int pgid) { return p->pgid == pgid; }

static bool broadcast_target(const struct process *p, int unused)
{
	(void)unused;
	return p->pid != 1 && p != current_process();
}

long kill_group(int pgid, const struct signal_info *info) { return kill_many(in_group, pgid, info); }

void kill_group_by_kernel(int pgid, int sig)
{
	struct signal_info info = {.signo = sig, .code = SI_KERNEL};
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->state == PROCESS_ALIVE)
			signal_send_process_later(p, &info);
}
long kill_everyone(const struct signal_info *info) { return kill_many(broadcast_target, 0, info); }
