/* SysV semaphore sets: the values, the operations that wait on them, and
 * each process's SEM_UNDO adjustments, given back when it ends. */
#ifndef SOLE_SEM_H
#define SOLE_SEM_H

#include <linux/sem.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/ipc/ipc.h"

/* /proc/sys/kernel/sem: SEMMSL, SEMMNS, SEMOPM and SEMMNI, in that order. */
enum { SEM_MSL, SEM_MNS, SEM_OPM, SEM_MNI };
extern unsigned long sem_limits[4];

struct process;
struct sem_pending;
struct sem_undo;

struct sem {
	int value; /* 0 to SEMVMX */
	int pid;   /* of the last process to operate on it (GETPID) */
};

struct sem_set {
	struct ipc_object perm;
	int nsems;
	int64_t otime, ctime;
	struct sem_pending *pending, *pending_tail; /* waiting operations, oldest first */
	struct sem_undo *undos;                     /* every process's adjustments to this set */
	struct sem sems[];
};

/* semget: the id, or -errno. */
int sem_get(int32_t key, int nsems, int flags);
/* The set an id or a slot names, NULL when none does. */
struct sem_set *sem_find(int id);
struct sem_set *sem_at_slot(int slot);
/* semtimedop once the operations are in the kernel: applies all of them
 * or none, waiting (until deadline, monotonic ns, 0 for none) while one
 * cannot go on. 0, or -EINVAL, -EFBIG, -EACCES, -EAGAIN (IPC_NOWAIT or
 * the deadline), -ERANGE, -EIDRM, -EINTR, -ENOMEM. */
long sem_operate(int id, const struct sembuf *sops, size_t nsops, uint64_t deadline);
/* GETNCNT and GETZCNT: the operations that wait for semnum to grow, or
 * to reach zero. */
int sem_waiting(const struct sem_set *s, int semnum, bool for_zero);
/* SETVAL (value within 0 and SEMVMX) and SETALL (-ERANGE above SEMVMX):
 * they clear the SEM_UNDO adjustments of what they set and let waiting
 * operations go on. */
void sem_set_value(struct sem_set *s, int semnum, int value);
int sem_set_all(struct sem_set *s, const uint16_t *values);
/* IPC_RMID: waiting operations fail with EIDRM. */
void sem_remove(struct sem_set *s);

/* Whether p has SEM_UNDO adjustments recorded (Linux's undo list exists). */
bool sem_has_undo(const struct process *p);

/* SEM_INFO's totals. */
struct sem_totals {
	int sets, semaphores, highest_slot;
};
struct sem_totals sem_count(void);

#endif
