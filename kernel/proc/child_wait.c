/* Waiting for children, see child_wait.h. The caller scans its children for
 * one that matches and has ended; if none has, it sleeps on its child_exit
 * queue, which every ending child wakes (kernel/proc/exit.c). */
#include "kernel/proc/child_wait.h"

#include "kernel/errno.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"
#include "kernel/sched/wait.h"

/* A "clone" child is one that does not signal SIGCHLD at its end: only
 * __WCLONE or __WALL waits see it, and only __WALL sees both kinds. */
static bool kind_matches(const struct process *c, int options)
{
	if (options & WALL)
		return true;
	bool clone_child = c->exit_signal != SIGCHLD;
	return clone_child == ((options & WCLONE) != 0);
}

static bool selected(const struct process *c, const struct child_selector *sel)
{
	switch (sel->match) {
	case CHILD_PID:
		return c->pid == sel->id;
	case CHILD_PGID:
		return c->pgid == sel->id;
	default:
		return true;
	}
}

static void report(const struct process *c, int wait_status, struct child_report *out)
{
	*out = (struct child_report){
	    .pid = c->pid, .wait_status = wait_status, .uid = c->cred.ruid, .cpu = cputime_process(c)};
	cpu_times_add(&out->cpu, c->children_cpu);
}

/* A stop or a continue the parent has not heard of: its wait status (as
 * Linux encodes them) in *status, and the report is taken unless WNOWAIT. */
static bool job_change(struct process *c, int options, int *status)
{
	if (c->report_stop && (options & WUNTRACED)) {
		*status = (c->stop_signal << 8) | 0x7f;
		if (!(options & WNOWAIT))
			c->report_stop = false;
		return true;
	}
	if (c->report_continue && (options & WCONTINUED)) {
		*status = 0xffff;
		if (!(options & WNOWAIT))
			c->report_continue = false;
		return true;
	}
	return false;
}

long child_wait(const struct child_selector *sel, struct child_report *out)
{
	struct process *self = current_process();
	for (;;) {
		bool any = false;
		for (struct process *c = self->children; c; c = c->next_sibling) {
			if (!selected(c, sel) || !kind_matches(c, sel->options))
				continue;
			any = true;
			int status;
			if (c->state == PROCESS_ALIVE && job_change(c, sel->options, &status)) {
				report(c, status, out);
				return out->pid;
			}
			if (c->state != PROCESS_ZOMBIE || !(sel->options & WEXITED))
				continue;
			report(c, c->wait_status, out);
			if (!(sel->options & WNOWAIT))
				process_reap(c);
			return out->pid;
		}
		if (!any)
			return -ECHILD;
		if (sel->options & WNOHANG)
			return 0;
		if (wait_on(&self->child_exit, 0) == WAKE_SIGNAL)
			return -ERESTARTSYS;
	}
}
