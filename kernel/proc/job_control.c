/* Job control, see job_control.h. A stop is a state of the process: its
 * threads, on their way back to the app, sleep while it holds (signal
 * delivery calls job_wait_while_stopped), and SIGCONT or a fatal signal
 * wakes them. The parent gets SIGCHLD (unless it asked SA_NOCLDSTOP) and
 * its waiters are woken to report the change. A group that an exit leaves
 * orphaned with a stopped member is hung up and continued. */
#include "kernel/proc/job_control.h"

#include "kernel/proc/exit.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/session.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/wait.h"

#define STOP_SIGNALS (signal_bit(SIGSTOP) | signal_bit(SIGTSTP) | signal_bit(SIGTTIN) | signal_bit(SIGTTOU))
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

static void tell_parent(struct process *p, int code, int status)
{
	struct process *parent = p->parent;
	if (!parent)
		return;
	if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
		struct signal_info info = {.signo = SIGCHLD, .code = code};
		info.child.pid = p->pid;
		info.child.uid = p->cred.ruid;
		info.child.status = status;
		signal_send_process(parent, &info);
	}
	wait_wake(&parent->child_exit, __INT_MAX__, ~0u);
}

static void wake_threads(struct process *p)
{
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t != current_thread() && t->state != THREAD_DEAD)
			sched_wake(t, WAKE_SIGNAL);
}

void job_stop_current(int sig)
{
	struct process *p = current_process();
	if (!p->stopped) {
		p->stopped = true;
		p->stop_signal = sig;
		p->report_stop = true;
		p->report_continue = false;
		wake_threads(p); /* the others stop on their way back to the app */
		tell_parent(p, CLD_STOPPED, sig);
	}
	job_wait_while_stopped();
}

void job_wait_while_stopped(void)
{
	struct thread *self = current_thread();
	while (self->proc->stopped && !self->killed)
		sched_block(0);
	if (self->killed)
		thread_exit_killed();
}

void job_continue(struct process *p)
{
	signal_discard(p, STOP_SIGNALS);
	if (!p->stopped)
		return;
	p->stopped = false;
	p->report_stop = false;
	p->report_continue = true;
	wake_threads(p);
	tell_parent(p, CLD_CONTINUED, SIGCONT);
}

void job_stop_sent(struct process *p) { signal_discard(p, signal_bit(SIGCONT)); }

static bool group_has_stopped(int pgid)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->state == PROCESS_ALIVE && p->stopped)
			return true;
	return false;
}

/* A group that an exit leaves orphaned while a member is stopped would
 * wait forever: it gets SIGHUP, then SIGCONT (POSIX; Linux's
 * kill_orphaned_pgrp). */
static void hang_up_if_stopped_orphan(int pgid)
{
	if (session_group_orphaned(pgid) && group_has_stopped(pgid)) {
		kill_group_by_kernel(pgid, SIGHUP);
		kill_group_by_kernel(pgid, SIGCONT);
	}
}

/* p, exiting, may have been the link to the session of its own group and
 * of its children's groups. */
static void orphans_at_exit(struct process *p)
{
	if (p->parent && p->parent->pgid != p->pgid && p->parent->sid == p->sid)
		hang_up_if_stopped_orphan(p->pgid);
	for (struct process *c = p->children; c; c = c->next_sibling)
		if (c->pgid != p->pgid && c->sid == p->sid)
			hang_up_if_stopped_orphan(c->pgid);
}
PROCESS_EXIT_HOOK(orphans_at_exit);
