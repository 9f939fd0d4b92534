/* Sending a signal to processes the app names (kernel/proc/kill.c): one
 * process, a process group, or every process, with Linux's permission
 * rule. */
#ifndef SOLE_KILL_H
#define SOLE_KILL_H

#include <stdbool.h>

struct process;
struct signal_info;

/* Whether the caller may signal target: root may signal anyone; others
 * need their real or effective uid to be the target's real or saved one
 * (SIGCONT also goes anywhere in the caller's session). */
bool kill_permitted(const struct process *target, int sig);
/* kill(pid): 0, -ESRCH or -EPERM. Signal 0 only checks. A zombie takes
 * nothing but counts as found. */
long kill_process(struct process *target, const struct signal_info *info);
/* kill(-pgid): every member of the group. -ESRCH for an empty group. */
long kill_group(int pgid, const struct signal_info *info);
/* The kernel's own signal to a group (a terminal's ^C, SIGHUP, SIGTTIN),
 * sent from wherever the kernel is (a timer, a write): no permission
 * applies, and the caller's process, when a member, acts on it at its
 * return to the app (signal_send_process_later). */
void kill_group_by_kernel(int pgid, int sig);
/* kill(-1): every process but pid 1 and the caller's. */
long kill_everyone(const struct signal_info *info);

#endif
