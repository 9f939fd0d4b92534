/* SysV message queues (see msg.h). A sender waits for room and a
 * receiver for a message it may take; each change wakes the other side,
 * and every woken thread looks again. */
#include "kernel/ipc/msg.h"

#include <limits.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

static void destroy(struct ipc_object *o)
{
	struct msg_queue *q = (struct msg_queue *)o;
	while (q->head) {
		struct msg_message *m = q->head;
		q->head = m->next;
		msg_free(m);
	}
	kfree(q);
}

unsigned long msg_max = MSGMAX, msg_mnb = MSGMNB, msg_mni = MSGMNI;
static struct ipc_table queues = {.limit = &msg_mni, .highest = -1, .destroy = destroy};
static unsigned long total_messages, total_bytes;

static struct ipc_object *create(const void *arg, int *err)
{
	(void)arg;
	*err = -ENOMEM;
	struct msg_queue *q = kzalloc(sizeof *q);
	if (!q)
		return NULL;
	q->max_bytes = msg_mnb;
	q->ctime = ipc_now();
	return &q->perm;
}

int msg_get(int32_t key, int flags) { return ipc_get(&queues, key, flags, create, NULL, NULL); }

struct msg_queue *msg_find(int id) { return (struct msg_queue *)ipc_find(&queues, id); }
struct msg_queue *msg_at_slot(int slot) { return (struct msg_queue *)ipc_at_slot(&queues, slot); }

struct msg_message *msg_alloc(size_t size)
{
	struct msg_message *m = kmalloc(sizeof *m + size);
	if (m) {
		m->next = NULL;
		m->size = size;
	}
	return m;
}

void msg_free(struct msg_message *m) { kfree(m); }

/* Sleeps on one of q's queues, holding q so that a removal meanwhile
 * frees nothing. -ERESTARTNOHAND for a signal, as Linux's msgsnd and
 * msgrcv: restarted only when no handler runs. */
static int sleep_on(struct msg_queue *q, struct wait_queue *wq)
{
	ipc_hold(&q->perm);
	enum wake_reason why = wait_on(wq, 0);
	bool removed = q->perm.removed;
	ipc_put(&queues, &q->perm);
	if (removed)
		return -EIDRM;
	return why == WAKE_SIGNAL ? -ERESTARTNOHAND : 0;
}

static bool fits(const struct msg_queue *q, size_t size)
{
	return q->bytes + size <= q->max_bytes && q->count + 1 <= q->max_bytes;
}

int msg_send(int id, struct msg_message *m, int flags)
{
	struct msg_queue *q = msg_find(id);
	if (!q)
		return -EINVAL;
	for (;;) {
		int err = ipc_permits(&q->perm, 0222);
		if (err)
			return err;
		if (fits(q, m->size))
			break;
		if (flags & IPC_NOWAIT)
			return -EAGAIN;
		err = sleep_on(q, &q->senders);
		if (err)
			return err;
	}
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	q->bytes += m->size;
	q->count++;
	total_messages++;
	total_bytes += m->size;
	q->lspid = current_process()->pid;
	q->stime = ipc_now();
	wait_wake(&q->receivers, INT_MAX, ~0u);
	return 0;
}

enum search { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

/* Linux's choice: the first message of the type, of another type
 * (MSG_EXCEPT), the first of the lowest type up to -type, or (MSG_COPY)
 * the one at index type. *at is where it hangs in the list. */
static struct msg_message **find(struct msg_queue *q, long type, enum search mode)
{
	struct msg_message **found = NULL;
	long index = 0;
	for (struct msg_message **at = &q->head; *at; at = &(*at)->next) {
		long t = (*at)->type;
		switch (mode) {
		case SEARCH_ANY:
			return at;
		case SEARCH_EQUAL:
			if (t == type)
				return at;
			break;
		case SEARCH_NOTEQUAL:
			if (t != type)
				return at;
			break;
		case SEARCH_LESSEQUAL:
			if (t <= type) {
				found = at;
				type = t - 1; /* later ones must be lower still */
				if (t == 1)
					return at;
			}
			break;
		case SEARCH_NUMBER:
			if (index++ == type)
				return at;
			break;
		}
	}
	return found;
}

static enum search search_of(long *type, int flags)
{
	if (flags & MSG_COPY)
		return SEARCH_NUMBER;
	if (*type == 0)
		return SEARCH_ANY;
	if (*type < 0) {
		*type = *type == LONG_MIN ? LONG_MAX : -*type;
		return SEARCH_LESSEQUAL;
	}
	return (flags & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

/* MSG_COPY's answer: a copy of m, left in the queue; Linux's copy_msg
 * refuses one longer than the room even under MSG_NOERROR. */
static struct msg_message *copy_of(const struct msg_message *m, size_t room, int *err)
{
	if (m->size > (room < msg_max ? room : msg_max)) {
		*err = -EINVAL;
		return NULL;
	}
	struct msg_message *c = msg_alloc(m->size);
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	c->type = m->type;
	memcpy(c->text, m->text, m->size);
	return c;
}

static struct msg_message *take(struct msg_queue *q, struct msg_message **at)
{
	struct msg_message *m = *at;
	*at = m->next;
	if (q->tail == m) {
		q->tail = NULL;
		for (struct msg_message *p = q->head; p; p = p->next)
			q->tail = p;
	}
	q->bytes -= m->size;
	q->count--;
	total_messages--;
	total_bytes -= m->size;
	q->lrpid = current_process()->pid;
	q->rtime = ipc_now();
	wait_wake(&q->senders, INT_MAX, ~0u);
	return m;
}

struct msg_message *msg_receive(int id, size_t room, long type, int flags, int *err)
{
	enum search mode = search_of(&type, flags);
	struct msg_queue *q = msg_find(id);
	*err = -EINVAL;
	if (!q)
		return NULL;
	for (;;) {
		*err = ipc_permits(&q->perm, 0444);
		if (*err)
			return NULL;
		struct msg_message **at = find(q, type, mode);
		if (at) {
			*err = -E2BIG;
			if (room < (*at)->size && !(flags & MSG_NOERROR))
				return NULL;
			if (flags & MSG_COPY)
				return copy_of(*at, room, err);
			return take(q, at);
		}
		*err = -ENOMSG;
		if (flags & IPC_NOWAIT)
			return NULL;
		*err = sleep_on(q, &q->receivers);
		if (*err)
			return NULL;
	}
}

int msg_set_max_bytes(struct msg_queue *q, unsigned long max_bytes)
{
	if (max_bytes > msg_mnb && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	q->max_bytes = max_bytes;
	wait_wake(&q->senders, INT_MAX, ~0u);
	wait_wake(&q->receivers, INT_MAX, ~0u); /* permissions may have changed */
	return 0;
}

void msg_remove(struct msg_queue *q)
{
	total_messages -= q->count;
	total_bytes -= q->bytes;
	wait_wake(&q->senders, INT_MAX, ~0u);
	wait_wake(&q->receivers, INT_MAX, ~0u);
	ipc_remove(&queues, &q->perm);
}

struct msg_totals msg_count(void)
{
	return (struct msg_totals){.queues = queues.in_use,
	                           .highest_slot = ipc_highest_slot(&queues),
	                           .messages = total_messages,
	                           .bytes = total_bytes};
}
