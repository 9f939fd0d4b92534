/* The console as a terminal under `sole run -t` (kernel/tty/console_tty.c). */
#ifndef SOLE_CONSOLE_TTY_H
#define SOLE_CONSOLE_TTY_H

struct process;
struct tty;

/* Under -t (boot_config.tty_mask set), makes the console a tty that takes
 * the host's input, with init's session as its own and init's group in the
 * foreground. Without -t it does nothing. */
void console_tty_start(struct process *init);
/* The console's tty, or NULL without -t. */
struct tty *console_tty(void);

#endif
