/* SysV semaphore syscalls: semget, semop, semtimedop, semctl. The sets and
 * their waiting operations live in kernel/ipc/sem.c; here the arguments
 * come in from the app and the answers go out. */
#include <linux/sem.h>

#include "kernel/errno.h"
#include "kernel/ipc/sem.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/time.h"
#include "syscalls/timespec.h"

long sys_semget(int32_t key, int nsems, int flags) { return sem_get(key, nsems, flags); }

long sys_semtimedop(int semid, struct sembuf *user_sops, unsigned nsops, const struct __kernel_timespec *timeout)
{
	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > sem_limits[SEM_OPM])
		return -E2BIG;
	struct sembuf *sops = kmalloc(nsops * sizeof *sops);
	if (!sops)
		return -ENOMEM;
	long err = copy_from_user(sops, user_sops, nsops * sizeof *sops) ? -EFAULT : 0;
	uint64_t deadline = 0, ns;
	if (!err && timeout) {
		err = timespec_from_user(timeout, &ns);
		deadline = time_monotonic_ns() + ns;
	}
	if (!err)
		err = sem_operate(semid, sops, nsops, deadline);
	kfree(sops);
	return err;
}

long sys_semop(int semid, struct sembuf *sops, unsigned nsops) { return sys_semtimedop(semid, sops, nsops, NULL); }

static long sem_info(int cmd, struct seminfo *buf)
{
	struct sem_totals t = sem_count();
	struct seminfo info = {.semmap = SEMMAP,
	                       .semmni = (int)sem_limits[SEM_MNI],
	                       .semmns = (int)sem_limits[SEM_MNS],
	                       .semmnu = SEMMNU,
	                       .semmsl = (int)sem_limits[SEM_MSL],
	                       .semopm = (int)sem_limits[SEM_OPM],
	                       .semume = SEMUME,
	                       .semusz = cmd == SEM_INFO ? t.sets : SEMUSZ,
	                       .semvmx = SEMVMX,
	                       .semaem = cmd == SEM_INFO ? t.semaphores : SEMAEM};
	return copy_to_user(buf, &info, sizeof info) ? -EFAULT : t.highest_slot;
}

/* IPC_STAT by id; SEM_STAT and SEM_STAT_ANY by slot, returning the id. */
static long sem_stat(int semid, int cmd, struct semid64_ds *buf)
{
	struct sem_set *s = cmd == IPC_STAT ? sem_find(semid) : sem_at_slot(semid);
	if (!s)
		return -EINVAL;
	if (cmd != SEM_STAT_ANY) {
		int err = ipc_permits(&s->perm, 0444);
		if (err)
			return err;
	}
	struct semid64_ds ds = {.sem_otime = s->otime, .sem_ctime = s->ctime, .sem_nsems = (unsigned long)s->nsems};
	ipc_perm_to_user(&s->perm, &ds.sem_perm);
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : s->perm.id;
}

static long get_all(struct sem_set *s, uint16_t *user_values)
{
	uint16_t *values = kmalloc((size_t)s->nsems * sizeof *values);
	if (!values)
		return -ENOMEM;
	for (int i = 0; i < s->nsems; i++)
		values[i] = (uint16_t)s->sems[i].value;
	long err = copy_to_user(user_values, values, (size_t)s->nsems * sizeof *values) ? -EFAULT : 0;
	kfree(values);
	return err;
}

/* A fault may sleep while the values come in, and the set may go
 * meanwhile: EIDRM then, as Linux. An id names one set only. */
static long set_all(int semid, struct sem_set *s, const uint16_t *user_values)
{
	uint16_t *values = kmalloc((size_t)s->nsems * sizeof *values);
	if (!values)
		return -ENOMEM;
	long err = copy_from_user(values, user_values, (size_t)s->nsems * sizeof *values) ? -EFAULT : 0;
	if (!err && sem_find(semid) != s)
		err = -EIDRM;
	if (!err)
		err = sem_set_all(s, values);
	kfree(values);
	return err;
}

/* The commands on values: GETALL and SETALL on the whole set, the others
 * on semaphore semnum; read permission, or write for SETALL. */
static long sem_values(int semid, int semnum, int cmd, unsigned long arg)
{
	struct sem_set *s = sem_find(semid);
	if (!s)
		return -EINVAL;
	int err = ipc_permits(&s->perm, cmd == SETALL ? 0222 : 0444);
	if (err)
		return err;
	if (cmd == GETALL)
		return get_all(s, (uint16_t *)arg);
	if (cmd == SETALL)
		return set_all(semid, s, (const uint16_t *)arg);
	if (semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return s->sems[semnum].value;
	case GETPID:
		return s->sems[semnum].pid;
	case GETNCNT:
		return sem_waiting(s, semnum, false);
	default:
		return sem_waiting(s, semnum, true);
	}
}

static long set_value(int semid, int semnum, int value)
{
	if (value < 0 || value > SEMVMX)
		return -ERANGE;
	struct sem_set *s = sem_find(semid);
	if (!s)
		return -EINVAL;
	if (semnum < 0 || semnum >= s->nsems)
		return -EINVAL;
	int err = ipc_permits(&s->perm, 0222);
	if (err)
		return err;
	sem_set_value(s, semnum, value);
	return 0;
}

/* IPC_SET and IPC_RMID: the owner's (or root's). */
static long sem_change(int semid, int cmd, struct semid64_ds *buf)
{
	struct semid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof ds))
		return -EFAULT;
	struct sem_set *s = sem_find(semid);
	if (!s)
		return -EINVAL;
	int err = ipc_check_owner(&s->perm);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		sem_remove(s);
		return 0;
	}
	ipc_set_perm(&s->perm, &ds.sem_perm);
	s->ctime = ipc_now();
	return 0;
}

/* arg is union semun, passed by value: an int or a pointer. */
long sys_semctl(int semid, int semnum, int cmd, unsigned long arg)
{
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(cmd, (struct seminfo *)arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat(semid, cmd, (struct semid64_ds *)arg);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETALL:
		return sem_values(semid, semnum, cmd, arg);
	case SETVAL:
		return set_value(semid, semnum, (int)arg);
	case IPC_SET:
	case IPC_RMID:
		return sem_change(semid, cmd, (struct semid64_ds *)arg);
	}
	return -EINVAL;
}
