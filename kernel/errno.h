/* Linux errno values, from the kernel's own uapi headers. Kernel functions
 * return -errno on failure, as Linux does. */
#ifndef SOLE_ERRNO_H
#define SOLE_ERRNO_H
#include <asm-generic/errno.h>

/* Linux's internal restart codes, never seen by the app: a syscall cut short
 * by a signal returns one, and the way back to user mode
 * (signal_return_to_user, kernel/proc/signal.c) turns it into -EINTR or
 * restarts the call. */
#define ERESTARTSYS 512           /* restart under SA_RESTART or when no handler runs, else EINTR */
#define ERESTARTNOINTR 513        /* always restart */
#define ERESTARTNOHAND 514        /* restart only when no handler runs, else EINTR */
#define ERESTART_RESTARTBLOCK 516 /* as NOHAND, but resume through restart_syscall */
#endif
