/* clone's work (kernel/proc/clone.c): a new thread of the caller's process,
 * or a new process that shares or copies each part of the caller's, as the
 * CLONE_* flags say. fork and vfork are clone with fixed flags. */
#ifndef SOLE_CLONE_H
#define SOLE_CLONE_H

#include <stdint.h>

/* What clone and clone3 ask for, already copied from the app. */
struct clone_request {
	uint64_t flags;                 /* CLONE_*, without the exit signal */
	int exit_signal;                /* sent to the parent when a new process ends; 0 for none */
	uint64_t stack;                 /* the child's stack pointer; 0 keeps the caller's */
	uint64_t tls;                   /* CLONE_SETTLS */
	uint64_t parent_tid, child_tid; /* CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and _CLEARTID */
	uint64_t pidfd;                 /* CLONE_PIDFD: where the new pidfd's number goes */
};

/* The new thread's id (a new process's pid), or -errno: EINVAL for flags
 * Linux refuses together, EPERM for namespaces, EAGAIN at RLIMIT_NPROC,
 * ENOMEM, EAGAIN from a SCHED_DEADLINE thread without reset-on-fork. With
 * CLONE_VFORK the caller sleeps until the child execs or ends. */
long process_clone(const struct clone_request *r);

#endif
