/* Job control (kernel/proc/job_control.c): a stop signal's default action
 * stops every thread of a process until SIGCONT, and the parent hears of
 * both (SIGCHLD with CLD_STOPPED or CLD_CONTINUED, and wait's WUNTRACED and
 * WCONTINUED). */
#ifndef SOLE_JOB_CONTROL_H
#define SOLE_JOB_CONTROL_H

struct process;

/* The caller's process stops by sig: the calling thread returns once the
 * process is continued (or leaves for good if it is killed meanwhile). */
void job_stop_current(int sig);
/* SIGCONT was sent to p: it goes on if stopped, its pending stop signals
 * are dropped, and its parent hears of it. */
void job_continue(struct process *p);
/* A stop signal was sent to p: a pending SIGCONT is dropped, as on Linux. */
void job_stop_sent(struct process *p);
/* A thread on its way back to the app waits here while its process is
 * stopped. */
void job_wait_while_stopped(void);

#endif
