/* SysV semaphore sets (see sem.h). An operation array that cannot go on
 * waits in its set's queue; whenever values change, the queue is tried
 * oldest first and what can go on now is done for its waiter, which wakes
 * with the result, as Linux's update_queue. SEM_UNDO adjustments hang off
 * both their set and a hash of processes, so that removing a set and
 * ending a process each find theirs. */
#include "kernel/ipc/sem.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/process.h"
#include "kernel/sched/wait.h"

struct sem_pending {
	struct sem_pending *next;
	const struct sembuf *sops;
	size_t nsops;
	struct sem_undo *undo; /* NULL when no operation asks for SEM_UNDO */
	int pid;
	size_t blocking; /* the operation it waits on (GETNCNT, GETZCNT) */
	int status;      /* 1 while waiting, then the result */
	struct wait_queue wake;
};

/* One process's adjustments to one set. Processes with any: a handful. */
#define UNDO_BUCKETS 32
struct sem_undo {
	struct process *proc;
	struct sem_set *set;
	struct sem_undo *next_of_set, *next_in_bucket;
	short adj[];
};

static struct sem_undo *undo_buckets[UNDO_BUCKETS];
static int total_sems;

static struct sem_undo **undo_bucket(const struct process *p)
{
	return &undo_buckets[((uintptr_t)p >> 6) % UNDO_BUCKETS];
}

bool sem_has_undo(const struct process *p)
{
	for (const struct sem_undo *un = *undo_bucket(p); un; un = un->next_in_bucket)
		if (un->proc == p)
			return true;
	return false;
}

static void unlink_undo(struct sem_undo *un)
{
	struct sem_undo **at = undo_bucket(un->proc);
	while (*at != un)
		at = &(*at)->next_in_bucket;
	*at = un->next_in_bucket;
	for (at = &un->set->undos; *at != un; at = &(*at)->next_of_set)
		;
	*at = un->next_of_set;
	kfree(un);
}

static void destroy(struct ipc_object *o)
{
	struct sem_set *s = (struct sem_set *)o;
	total_sems -= s->nsems;
	kfree(s);
}

unsigned long sem_limits[4] = {SEMMSL, SEMMNS, SEMOPM, SEMMNI};
static struct ipc_table sets = {.limit = &sem_limits[SEM_MNI], .highest = -1, .destroy = destroy};

static struct ipc_object *create(const void *arg, int *err)
{
	int nsems = *(const int *)arg;
	*err = -EINVAL;
	if (nsems == 0)
		return NULL;
	*err = -ENOSPC;
	if ((unsigned long)total_sems + (unsigned long)nsems > sem_limits[SEM_MNS])
		return NULL;
	*err = -ENOMEM;
	struct sem_set *s = kzalloc(sizeof *s + (size_t)nsems * sizeof s->sems[0]);
	if (!s)
		return NULL;
	s->nsems = nsems;
	s->ctime = ipc_now();
	total_sems += nsems;
	return &s->perm;
}

static int check_count(const struct ipc_object *o, const void *arg)
{
	return *(const int *)arg > ((const struct sem_set *)o)->nsems ? -EINVAL : 0;
}

int sem_get(int32_t key, int nsems, int flags)
{
	if (nsems < 0 || (unsigned long)nsems > sem_limits[SEM_MSL])
		return -EINVAL;
	return ipc_get(&sets, key, flags, create, check_count, &nsems);
}

struct sem_set *sem_find(int id) { return (struct sem_set *)ipc_find(&sets, id); }
struct sem_set *sem_at_slot(int slot) { return (struct sem_set *)ipc_at_slot(&sets, slot); }

/* Applies the operations in order; if one must wait or fails, undoes the
 * earlier ones. 0 when done, 1 when op *blocking must wait, or -EAGAIN
 * (it must wait but asked IPC_NOWAIT) or -ERANGE. */
static int perform(struct sem_set *s, const struct sembuf *sops, size_t n, struct sem_undo *un, int pid,
                   size_t *blocking)
{
	int result;
	size_t i;
	for (i = 0; i < n; i++) {
		const struct sembuf *op = &sops[i];
		struct sem *sem = &s->sems[op->sem_num];
		int value = sem->value + op->sem_op;
		if ((op->sem_op == 0 && sem->value != 0) || value < 0) {
			*blocking = i;
			result = (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
			goto undo;
		}
		if (value > SEMVMX) {
			result = -ERANGE;
			goto undo;
		}
		if (op->sem_flg & SEM_UNDO) {
			int adj = un->adj[op->sem_num] - op->sem_op;
			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				result = -ERANGE;
				goto undo;
			}
			un->adj[op->sem_num] = (short)adj;
		}
		sem->value = value;
	}
	for (i = 0; i < n; i++)
		s->sems[sops[i].sem_num].pid = pid;
	s->otime = ipc_now();
	return 0;
undo:
	while (i-- > 0) {
		s->sems[sops[i].sem_num].value -= sops[i].sem_op;
		if (sops[i].sem_flg & SEM_UNDO)
			un->adj[sops[i].sem_num] += sops[i].sem_op;
	}
	return result;
}

static bool alters(const struct sembuf *sops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sops[i].sem_op != 0)
			return true;
	return false;
}

static void finish(struct sem_set *s, struct sem_pending **at, int status)
{
	struct sem_pending *q = *at;
	*at = q->next;
	if (s->pending_tail == q) {
		s->pending_tail = NULL;
		for (struct sem_pending *p = s->pending; p; p = p->next)
			s->pending_tail = p;
	}
	q->status = status;
	wait_wake(&q->wake, 1, ~0u);
}

/* Values changed: does, oldest first, every waiting operation that can go
 * on now, starting over after one that changed values again. */
static void update_queue(struct sem_set *s)
{
	struct sem_pending **at = &s->pending;
	while (*at) {
		struct sem_pending *q = *at;
		int r = perform(s, q->sops, q->nsops, q->undo, q->pid, &q->blocking);
		if (r == 1) {
			at = &q->next;
			continue;
		}
		finish(s, at, r);
		if (r == 0 && alters(q->sops, q->nsops))
			at = &s->pending;
	}
}

static struct sem_undo *undo_for(struct sem_set *s)
{
	struct process *p = current_process();
	struct sem_undo **bucket = undo_bucket(p);
	for (struct sem_undo *un = *bucket; un; un = un->next_in_bucket)
		if (un->proc == p && un->set == s)
			return un;
	struct sem_undo *un = kzalloc(sizeof *un + (size_t)s->nsems * sizeof un->adj[0]);
	if (!un)
		return NULL;
	un->proc = p;
	un->set = s;
	un->next_in_bucket = *bucket;
	*bucket = un;
	un->next_of_set = s->undos;
	s->undos = un;
	return un;
}

/* Waits in the set's queue until the operations are done for it, the set
 * goes, the deadline passes or a signal comes. */
static long wait_in_queue(struct sem_set *s, struct sem_pending *me, uint64_t deadline)
{
	if (s->pending_tail)
		s->pending_tail->next = me;
	else
		s->pending = me;
	s->pending_tail = me;
	ipc_hold(&s->perm);
	enum wake_reason why = WAKE_EVENT;
	while (me->status == 1 && why == WAKE_EVENT)
		why = wait_on(&me->wake, deadline);
	long result = me->status;
	if (result == 1) {
		struct sem_pending **at = &s->pending;
		while (*at != me)
			at = &(*at)->next;
		finish(s, at, 1);
		/* semop is never restarted, SA_RESTART or not (signal(7)). */
		result = why == WAKE_TIMEOUT ? -EAGAIN : -EINTR;
	}
	ipc_put(&sets, &s->perm);
	return result;
}

long sem_operate(int id, const struct sembuf *sops, size_t nsops, uint64_t deadline)
{
	int highest = 0;
	bool undo = false;
	for (size_t i = 0; i < nsops; i++) {
		if (sops[i].sem_num > highest)
			highest = sops[i].sem_num;
		undo |= (sops[i].sem_flg & SEM_UNDO) != 0;
	}
	struct sem_set *s = sem_find(id);
	if (!s)
		return -EINVAL;
	if (highest >= s->nsems)
		return -EFBIG;
	int err = ipc_permits(&s->perm, alters(sops, nsops) ? 0222 : 0444);
	if (err)
		return err;
	struct sem_undo *un = undo ? undo_for(s) : NULL;
	if (undo && !un)
		return -ENOMEM;
	struct sem_pending me = {.sops = sops, .nsops = nsops, .undo = un, .pid = current_process()->pid, .status = 1};
	int r = perform(s, sops, nsops, un, me.pid, &me.blocking);
	if (r == 0 && alters(sops, nsops))
		update_queue(s);
	if (r != 1)
		return r;
	return wait_in_queue(s, &me, deadline);
}

int sem_waiting(const struct sem_set *s, int semnum, bool for_zero)
{
	int n = 0;
	for (const struct sem_pending *q = s->pending; q; q = q->next) {
		const struct sembuf *op = &q->sops[q->blocking];
		n += op->sem_num == semnum && (for_zero ? op->sem_op == 0 : op->sem_op < 0);
	}
	return n;
}

static void changed(struct sem_set *s)
{
	s->ctime = ipc_now();
	update_queue(s);
}

void sem_set_value(struct sem_set *s, int semnum, int value)
{
	for (struct sem_undo *un = s->undos; un; un = un->next_of_set)
		un->adj[semnum] = 0;
	s->sems[semnum].value = value;
	s->sems[semnum].pid = current_process()->pid;
	changed(s);
}

int sem_set_all(struct sem_set *s, const uint16_t *values)
{
	for (int i = 0; i < s->nsems; i++)
		if (values[i] > SEMVMX)
			return -ERANGE;
	for (struct sem_undo *un = s->undos; un; un = un->next_of_set)
		memset(un->adj, 0, (size_t)s->nsems * sizeof un->adj[0]);
	for (int i = 0; i < s->nsems; i++) {
		s->sems[i].value = values[i];
		s->sems[i].pid = current_process()->pid;
	}
	changed(s);
	return 0;
}

void sem_remove(struct sem_set *s)
{
	while (s->undos)
		unlink_undo(s->undos);
	while (s->pending)
		finish(s, &s->pending, -EIDRM);
	ipc_remove(&sets, &s->perm);
}

struct sem_totals sem_count(void)
{
	return (struct sem_totals){
	    .sets = sets.in_use, .semaphores = total_sems, .highest_slot = ipc_highest_slot(&sets)};
}

/* A process that ends gives back what its SEM_UNDO operations took, each
 * value kept within 0 and SEMVMX, and lets waiting operations go on. */
static void undo_at_exit(struct process *p)
{
	struct sem_undo **at = undo_bucket(p);
	while (*at) {
		struct sem_undo *un = *at;
		if (un->proc != p) {
			at = &un->next_in_bucket;
			continue;
		}
		struct sem_set *s = un->set;
		for (int i = 0; i < s->nsems; i++) {
			if (!un->adj[i])
				continue;
			int value = s->sems[i].value + un->adj[i];
			s->sems[i].value = value < 0 ? 0 : value > SEMVMX ? SEMVMX : value;
			s->sems[i].pid = p->pid;
		}
		unlink_undo(un);
		update_queue(s);
	}
}
PROCESS_EXIT_HOOK(undo_at_exit);
