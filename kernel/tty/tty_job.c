/* Job control on a terminal (credentials(7), termios(3)): the controlling
 * terminal of a session, its foreground process group, SIGTTIN and
 * SIGTTOU for background groups, and what happens when the controlling
 * process exits. A session's terminal is the tty whose session field names
 * it, so setsid (a new session) leaves the terminal behind by itself. */
#include "kernel/errno.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/session.h"
#include "kernel/security/capability.h"
#include "kernel/tty/tty.h"

/* Linux's is_ignored: blocked by the caller or ignored by its process. */
static bool ignored_by_caller(int sig)
{
	return (current_thread()->signal_mask & signal_bit(sig)) ||
	       current_process()->sighand->action[sig - 1].handler == SIG_IGN;
}

/* Whether the caller is in a background group of the session tty controls. */
static bool caller_in_background(const struct tty *tty)
{
	struct process *p = current_process();
	return tty->session && tty->session == p->sid && tty->pgrp && tty->pgrp != p->pgid;
}

/* Linux's __tty_check_change: the caller's group is stopped by sig (an
 * ignored SIGTTOU lets the caller through; an ignored SIGTTIN and an
 * orphaned group give EIO). */
static long check_change(struct tty *tty, int sig)
{
	if (!caller_in_background(tty))
		return 0;
	if (ignored_by_caller(sig))
		return sig == SIGTTIN ? -EIO : 0;
	int pgrp = current_process()->pgid;
	if (session_group_orphaned(pgrp))
		return -EIO;
	kill_group_by_kernel(pgrp, sig);
	return -ERESTARTSYS;
}

long tty_check_background_read(struct tty *tty) { return check_change(tty, SIGTTIN); }

long tty_check_background_write(struct tty *tty, bool always)
{
	if (!always && !(tty->termios.c_lflag & TOSTOP))
		return 0;
	return check_change(tty, SIGTTOU);
}

void tty_signal_foreground(struct tty *tty, int sig)
{
	if (tty->pgrp)
		kill_group_by_kernel(tty->pgrp, sig);
}

long tty_set_controlling(struct tty *tty, bool steal)
{
	struct process *p = current_process();
	bool leader = p->sid == p->pid;
	if (leader && tty->session == p->sid)
		return 0;
	if (!leader || tty_of_session(p->sid))
		return -EPERM;
	if (tty->session && !(steal && capable(CAP_SYS_ADMIN)))
		return -EPERM;
	tty->session = p->sid;
	tty->pgrp = p->pgid;
	return 0;
}

/* The session lets go of its terminal: its foreground group hears SIGHUP
 * (and SIGCONT, unless the leader is exiting), as Linux's disassociate_ctty. */
static void disassociate(struct tty *tty, bool exiting)
{
	int pgrp = tty->pgrp;
	tty->session = tty->pgrp = 0;
	if (pgrp) {
		kill_group_by_kernel(pgrp, SIGHUP);
		if (!exiting)
			kill_group_by_kernel(pgrp, SIGCONT);
	}
}

/* TIOCNOTTY: only the session leader can give the terminal up here, since
 * a session shares one terminal; another member's call is accepted and
 * changes nothing it could observe but /dev/tty. */
long tty_give_up_controlling(struct tty *tty)
{
	struct process *p = current_process();
	if (tty->session != p->sid)
		return -ENOTTY;
	if (p->sid == p->pid)
		disassociate(tty, false);
	return 0;
}

static bool group_in_session(int pgrp, int sid, bool *exists)
{
	*exists = false;
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgrp && p->state != PROCESS_REAPED) {
			*exists = true;
			if (p->sid == sid)
				return true;
		}
	return false;
}

long tty_set_foreground(struct tty *tty, int pgrp)
{
	long err = check_change(tty, SIGTTOU);
	if (err)
		return err == -EIO ? -ENOTTY : err;
	struct process *p = current_process();
	if (pgrp < 0)
		return -EINVAL;
	if (!tty->session || tty->session != p->sid)
		return -ENOTTY;
	bool exists;
	if (!group_in_session(pgrp, p->sid, &exists))
		return exists ? -EPERM : -ESRCH;
	tty->pgrp = pgrp;
	return 0;
}

/* The controlling process (the session leader) exits: a pty's foreground
 * group hears SIGHUP; another terminal is hung up for the whole session. */
static void controlling_process_exit(struct process *p)
{
	if (p->sid != p->pid)
		return;
	struct tty *tty = tty_of_session(p->sid);
	if (!tty)
		return;
	disassociate(tty, true);
	if (!tty->driver->is_pty) {
		tty->hung_up = true;
		tty_wake(tty, ~0u);
	}
}
PROCESS_EXIT_HOOK(controlling_process_exit);
