/* The futex side of thread exit, for the thread code. */
#ifndef SOLE_FUTEX_H
#define SOLE_FUTEX_H

#include <stdint.h>

struct thread;

/* Wakes up to count threads waiting on the word at uaddr. */
int futex_wake_address(uintptr_t uaddr, int count);
/* Releases the robust futexes a dying thread still holds. */
void futex_exit_robust_list(struct thread *t);

#endif
