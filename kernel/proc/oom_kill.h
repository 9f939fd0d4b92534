/* The out-of-memory killer: when a page cannot be had, the process with the
 * most resident memory gets SIGKILL, as Linux's oom_kill picks by RSS. */
#ifndef SOLE_OOM_KILL_H
#define SOLE_OOM_KILL_H

/* The current process found no free page. Kills the largest process, or
 * waits for the one killed before to end; returns when the caller may try
 * again (and does not return when the caller's own process is the one). */
void oom_kill(void);

#endif
