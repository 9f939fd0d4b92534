/* The host's terminal under `sole run -t`: the size the VM's console tty
 * starts with and follows (SIGWINCH), and, with -it, raw mode for the VM's
 * lifetime, restored however sole ends: on exit, on SIGINT/SIGTERM/SIGHUP,
 * and by a watcher process when sole dies of a signal it cannot catch. */
#ifndef SOLE_HOST_TERMINAL_H
#define SOLE_HOST_TERMINAL_H

#include <stdbool.h>

struct host_terminal {
	bool console_tty; /* -t: the app's fds 0, 1 and 2 are the VM's console tty */
	unsigned rows;    /* 0 when no terminal told its size */
	unsigned columns;
};

/* What -t and -i ask of the host: -it needs a terminal on stdin, as docker
 * run -it does. Prints the problem and returns EXIT_SOLE_ERROR, or returns 0
 * with *terminal filled in. */
int host_terminal_describe(bool tty, bool interactive, struct host_terminal *terminal);

/* Called as the VM starts. With -t, SIGWINCH is watched; with -it, stdin's
 * terminal also goes into raw mode, so that every key reaches the VM's line
 * discipline. Returns 0, or prints why not and returns EXIT_SOLE_ERROR. */
int host_terminal_start(const struct host_terminal *terminal, bool interactive);

/* Puts the terminal back as it was before host_terminal_start; does
 * nothing when it is not raw. Async-signal-safe. */
void host_terminal_restore(void);

/* After a SIGWINCH: true, once, with the terminal's new size. */
bool host_terminal_take_resize(unsigned *rows, unsigned *columns);

#endif
