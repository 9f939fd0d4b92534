/* Pseudo-terminal pairs (kernel/tty/pty.c): /dev/ptmx's driver. */
#ifndef SOLE_PTY_H
#define SOLE_PTY_H

#include <stdbool.h>

struct chardev;
struct file;

/* /dev/ptmx (5, 2): each open makes a new pair and returns its master. */
extern const struct chardev pty_multiplexer;

#endif
