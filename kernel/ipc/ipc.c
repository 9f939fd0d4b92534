/* The key and id tables of SysV IPC and its permission checks, shared by
 * shared memory, semaphores and message queues (see ipc.h). The kernel is
 * not preempted, so no table needs a lock. */
#include "kernel/ipc/ipc.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/time.h"

int64_t ipc_now(void) { return (int64_t)(time_realtime_ns() / 1000000000ull); }

static struct ipc_object **bucket_of(struct ipc_table *t, int32_t key)
{
	return &t->by_key[(uint32_t)key % IPC_KEY_BUCKETS];
}

static struct ipc_object *find_key(struct ipc_table *t, int32_t key)
{
	struct ipc_object *o = *bucket_of(t, key);
	while (o && o->key != key)
		o = o->key_next;
	return o;
}

int ipc_permits(const struct ipc_object *o, int want)
{
	const struct credentials *c = &current_process()->cred;
	int requested = (want >> 6) | (want >> 3) | want;
	int granted = (int)o->mode;
	if (c->euid == o->cuid || c->euid == o->uid)
		granted >>= 6;
	else if (cred_in_group(c, c->egid, o->cgid) || cred_in_group(c, c->egid, o->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

int ipc_check_owner(const struct ipc_object *o)
{
	uint32_t euid = current_process()->cred.euid;
	return euid == o->uid || euid == o->cuid || capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

void ipc_set_perm(struct ipc_object *o, const struct ipc64_perm *in)
{
	o->uid = in->uid;
	o->gid = in->gid;
	o->mode = (o->mode & ~0777u) | (in->mode & 0777u);
}

void ipc_perm_to_user(const struct ipc_object *o, struct ipc64_perm *out)
{
	memset(out, 0, sizeof *out);
	out->key = o->key;
	out->uid = o->uid;
	out->gid = o->gid;
	out->cuid = o->cuid;
	out->cgid = o->cgid;
	out->mode = o->mode;
	out->seq = o->seq;
}

/* A free slot, growing the array when all are taken; -ENOSPC at the limit
 * (or when memory runs out, as Linux's idr_alloc would). */
static int free_slot(struct ipc_table *t)
{
	if ((unsigned long)t->in_use >= *t->limit)
		return -ENOSPC;
	for (int i = 0; i < t->capacity; i++)
		if (!t->slots[i])
			return i;
	int grown = t->capacity ? t->capacity * 2 : 16;
	if (grown > IPC_SLOTS)
		grown = IPC_SLOTS;
	struct ipc_object **slots = kzalloc((size_t)grown * sizeof *slots);
	if (!slots)
		return -ENOSPC;
	if (t->capacity)
		memcpy(slots, t->slots, (size_t)t->capacity * sizeof *slots);
	kfree(t->slots);
	t->slots = slots;
	int slot = t->capacity;
	t->capacity = grown;
	return slot;
}

static int insert(struct ipc_table *t, struct ipc_object *o, int32_t key, int flags)
{
	int slot = free_slot(t);
	if (slot < 0)
		return slot;
	const struct credentials *c = &current_process()->cred;
	o->key = key;
	o->uid = o->cuid = c->euid;
	o->gid = o->cgid = c->egid;
	o->mode = (uint32_t)flags & 0777u;
	o->seq = t->next_seq++;
	if (t->next_seq == 0xffff) /* ids stay positive ints */
		t->next_seq = 0;
	o->id = o->seq * IPC_SLOTS + slot;
	o->refs = 1;
	t->slots[slot] = o;
	t->in_use++;
	if (slot > t->highest)
		t->highest = slot;
	if (key != IPC_PRIVATE) {
		o->key_next = *bucket_of(t, key);
		*bucket_of(t, key) = o;
	}
	return o->id;
}

int ipc_get(struct ipc_table *t, int32_t key, int flags, struct ipc_object *(*create)(const void *arg, int *err),
            int (*check)(const struct ipc_object *o, const void *arg), const void *arg)
{
	struct ipc_object *o = key == IPC_PRIVATE ? NULL : find_key(t, key);
	if (!o) {
		if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
			return -ENOENT;
		int err = 0;
		o = create(arg, &err);
		if (!o)
			return err;
		int id = insert(t, o, key, flags);
		if (id < 0)
			t->destroy(o);
		return id;
	}
	if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
		return -EEXIST;
	int err = check ? check(o, arg) : 0;
	if (!err)
		err = ipc_permits(o, flags);
	return err ? err : o->id;
}

struct ipc_object *ipc_at_slot(const struct ipc_table *t, int slot)
{
	return slot >= 0 && slot < t->capacity ? t->slots[slot] : NULL;
}

struct ipc_object *ipc_find(const struct ipc_table *t, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_object *o = ipc_at_slot(t, id % IPC_SLOTS);
	return o && o->id == id ? o : NULL;
}

void ipc_forget_key(struct ipc_table *t, struct ipc_object *o)
{
	if (o->key == IPC_PRIVATE)
		return;
	for (struct ipc_object **at = bucket_of(t, o->key); *at; at = &(*at)->key_next)
		if (*at == o) {
			*at = o->key_next;
			break;
		}
	o->key = IPC_PRIVATE;
	o->key_next = NULL;
}

void ipc_remove(struct ipc_table *t, struct ipc_object *o)
{
	ipc_forget_key(t, o);
	int slot = o->id % IPC_SLOTS;
	t->slots[slot] = NULL;
	t->in_use--;
	while (t->highest >= 0 && !t->slots[t->highest])
		t->highest--;
	o->removed = true;
	ipc_put(t, o);
}

void ipc_hold(struct ipc_object *o) { o->refs++; }

void ipc_put(struct ipc_table *t, struct ipc_object *o)
{
	if (--o->refs == 0)
		t->destroy(o);
}

int ipc_highest_slot(const struct ipc_table *t) { return t->highest > 0 ? t->highest : 0; }
