/* Scheduling parameters of a thread, as Linux keeps them per task: the
 * policy, the real-time priority, the nice value, SCHED_DEADLINE's
 * reservation, reset-on-fork and the I/O priority. Linux's rules for
 * changing them (who may, within which rlimits) and for inheriting them at
 * clone live here; the scheduler (sched.c) reads the run level they give. */
#ifndef SOLE_SCHED_POLICY_H
#define SOLE_SCHED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct thread;
struct sched_attr;

#define SCHED_LEVEL_DEADLINE 100     /* above every real-time priority (1..99) */
#define RR_TIMESLICE_NS 100000000ull /* Linux's sched_rr_timeslice_ms, 100 */

struct sched_policy {
	int policy;      /* SCHED_NORMAL, BATCH, IDLE, FIFO, RR or DEADLINE */
	int rt_priority; /* 1..99 under FIFO and RR, 0 otherwise */
	int nice;        /* -20..19, kept under every policy */
	bool reset_on_fork;
	uint64_t dl_runtime, dl_deadline, dl_period; /* SCHED_DEADLINE's reservation, ns */
	int ioprio;                                  /* ioprio_set's value */
	/* The run level that waiters on the PI futexes it holds lend it
	 * (kernel/sched/futex_pi.c), 0 for none; never inherited. */
	int pi_level;
};

/* The first thread's: SCHED_NORMAL, nice 0, best-effort I/O at level 4. */
void sched_policy_init(struct sched_policy *sp);
/* A new thread's, from its creator's: copied, except that reset-on-fork
 * turns FIFO, RR and DEADLINE into SCHED_NORMAL with nice 0 and a negative
 * nice into 0, and is itself cleared. */
void sched_policy_inherit(struct sched_policy *child, const struct sched_policy *parent);
/* Whether the creator may clone: a SCHED_DEADLINE thread without
 * reset-on-fork may not (EAGAIN), as on Linux. */
bool sched_policy_may_fork(const struct sched_policy *sp);
/* Where the scheduler queues a thread: 0 for NORMAL, BATCH and IDLE, the
 * priority for FIFO and RR, SCHED_LEVEL_DEADLINE, or the level lent to it
 * when higher (priority inheritance). Higher runs first. */
int sched_policy_level(const struct sched_policy *sp);
/* Priority inheritance: t runs at least at level until lent another (0
 * gives its own back); the scheduler moves it at once. */
void sched_policy_lend(struct thread *t, int level);

/* How long t may run before an equal thread's turn: RR's quantum, or for
 * SCHED_OTHER 10 ms scaled by the nice value's weight, 1.25 times less per
 * step as on Linux, within 1 to 100 ms: round robin then gives each thread
 * a share of the CPU that follows its nice value. */
uint64_t sched_policy_slice_ns(const struct sched_policy *sp);

/* Whether the calling process may change t's parameters: same owner (its
 * euid is t's ruid or euid) or CAP_SYS_NICE. */
bool sched_policy_owner_or_root(const struct thread *t);
/* sched_setattr's work after the syscall copied attr and found t, Linux's
 * __sched_setscheduler: a policy of -1 keeps t's own. EINVAL for bad
 * values, EPERM past RLIMIT_RTPRIO or RLIMIT_NICE or for another user's
 * thread, EBUSY when SCHED_DEADLINE's reservations pass 95% of the CPU,
 * EOPNOTSUPP for utilization clamps. */
long sched_policy_set(struct thread *t, const struct sched_attr *attr);
/* setpriority on one thread: EPERM for another user's, EACCES for a lower
 * nice than RLIMIT_NICE allows. nice is already clamped to -20..19. */
long sched_policy_set_nice(struct thread *t, int nice);

#endif
