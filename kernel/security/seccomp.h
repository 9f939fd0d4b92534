/* seccomp: a thread's syscall filter, as Linux's seccomp(2). Strict mode
 * allows read, write, exit and rt_sigreturn; filter mode runs every
 * classic-BPF program the thread installed over struct seccomp_data and
 * takes the most restrictive answer. Filters are shared by the threads
 * and processes that inherited them (clone, fork), kept across execve and
 * never removed. syscalls/seccomp.c and prctl reach the setters. */
#ifndef SOLE_SECCOMP_H
#define SOLE_SECCOMP_H

#include <stdbool.h>

struct sock_fprog;
struct thread;
struct trap_frame;

/* SECCOMP_SET_MODE_STRICT for the caller: 0, or -EINVAL when it already
 * is in filter mode. */
long seccomp_set_strict(void);
/* SECCOMP_SET_MODE_FILTER: checks the program user_prog points to and
 * adds it to the caller's (with SECCOMP_FILTER_FLAG_TSYNC, to every
 * thread of its process). 0, the tid of a thread that cannot sync, or
 * -errno. */
long seccomp_set_filter(unsigned flags, const struct sock_fprog *user_prog);
/* Whether a filter may return action (SECCOMP_GET_ACTION_AVAIL). */
bool seccomp_action_known(unsigned action);

/* At syscall entry, for a thread whose seccomp_mode is set: true when the
 * call in f must not run, *ret then being what the app sees instead (a
 * signal may be queued for it). Does not return when the verdict ends
 * the thread or its process. */
bool seccomp_refuses(struct trap_frame *f, long *ret);

/* clone: the new thread runs under its creator's mode and filters. */
void seccomp_inherit(struct thread *child, const struct thread *parent);
/* A thread's end: it lets go of its filters. */
void seccomp_thread_free(struct thread *t);
/* How many filters t runs (/proc/PID/status's Seccomp_filters). */
int seccomp_filter_count(const struct thread *t);

#endif
