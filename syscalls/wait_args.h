/* The arguments the waiting calls (ppoll, pselect6, epoll_pwait and the
 * like) share: a temporary signal mask and a timeout, read from the app. */
#ifndef SOLE_WAIT_ARGS_H
#define SOLE_WAIT_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* The signal mask ppoll, pselect6 and epoll_pwait wait with (user_mask
 * NULL: none): installed until the call returns, and after it the caller's
 * mask comes back (signal_set_temporary_mask, kernel/proc/signal.h). */
long wait_sigmask_install(const uint64_t *user_mask, size_t size);

/* The deadline of an optional timeout the app passes as a timespec: 0 (no
 * deadline) when user is NULL; -EFAULT or -EINVAL for a bad one. */
struct __kernel_timespec;
int deadline_from_user_timespec(const struct __kernel_timespec *user, uint64_t *deadline);

#endif
