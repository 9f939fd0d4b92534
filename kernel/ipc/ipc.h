/* What SysV shared memory, semaphores and message queues have in common:
 * a table per kind that turns keys into ids and ids into objects, the
 * permission record every object starts with, and Linux's checks of it
 * against the caller's credentials. The kinds live in shm.c, sem.c and
 * msg.c beside this file. */
#ifndef SOLE_IPC_H
#define SOLE_IPC_H

#include <linux/ipc.h>
#include <stdbool.h>
#include <stdint.h>

/* Linux's id layout: the slot in the low 15 bits and a sequence number
 * above, so the id of a removed object does not name its slot's next one. */
#define IPC_SLOTS 32768
#define IPC_KEY_BUCKETS 64

/* The first member of every object (Linux's kern_ipc_perm). */
struct ipc_object {
	int32_t key; /* IPC_PRIVATE once removed */
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode; /* permission bits; segments keep SHM_DEST and SHM_LOCKED above them */
	uint16_t seq;
	int id;
	bool removed; /* IPC_RMID: a sleeper that wakes finds EIDRM */
	int refs;     /* the table's, and one per thread asleep on the object */
	struct ipc_object *key_next;
};

/* One kind's objects. Slots grow with use (a handful for most apps, up to
 * the kind's limit), and keys hash into buckets. */
struct ipc_table {
	struct ipc_object **slots;
	int capacity, in_use, highest; /* highest slot in use, -1 for none */
	const unsigned long *limit;    /* shmmni, semmni or msgmni: /proc/sys/kernel's */
	uint16_t next_seq;
	struct ipc_object *by_key[IPC_KEY_BUCKETS];
	void (*destroy)(struct ipc_object *o); /* frees the object once its last reference goes */
};

/* What shmget, semget and msgget share (Linux's ipcget): IPC_PRIVATE, or a
 * missing key with IPC_CREAT, makes a new object with create (NULL and
 * *err when it cannot); a missing key without IPC_CREAT is ENOENT; a key
 * in use is EEXIST under IPC_CREAT|IPC_EXCL, else it must pass check (the
 * kind's size rule; NULL for none) and the permissions flags' low nine
 * bits ask for. Returns the id or -errno. */
int ipc_get(struct ipc_table *t, int32_t key, int flags, struct ipc_object *(*create)(const void *arg, int *err),
            int (*check)(const struct ipc_object *o, const void *arg), const void *arg);
/* The object an id names, or NULL (the caller answers EINVAL). */
struct ipc_object *ipc_find(const struct ipc_table *t, int id);
/* The object in a slot (the *_STAT commands, walks), or NULL. */
struct ipc_object *ipc_at_slot(const struct ipc_table *t, int slot);
/* 0 when the caller may do what the mode bits in want ask (0444 read,
 * 0222 write, or a get's flags), else -EACCES. Root may do anything
 * (CAP_IPC_OWNER). */
int ipc_permits(const struct ipc_object *o, int want);
/* The IPC_SET and IPC_RMID rule: the owner, the creator or root, else EPERM. */
int ipc_check_owner(const struct ipc_object *o);
/* IPC_SET's common part: the owner and the permission bits. */
void ipc_set_perm(struct ipc_object *o, const struct ipc64_perm *in);
void ipc_perm_to_user(const struct ipc_object *o, struct ipc64_perm *out);
/* Takes the key away, so that gets no longer find the object (a removed
 * segment that is still attached). */
void ipc_forget_key(struct ipc_table *t, struct ipc_object *o);
/* IPC_RMID: out of the table, marked removed, and the table's reference
 * dropped. The caller wakes the object's sleepers first. */
void ipc_remove(struct ipc_table *t, struct ipc_object *o);
/* A sleeper's reference, so that a removal while it sleeps frees nothing
 * under it. */
void ipc_hold(struct ipc_object *o);
void ipc_put(struct ipc_table *t, struct ipc_object *o);
/* What IPC_INFO returns: the highest slot in use, 0 for none. */
int ipc_highest_slot(const struct ipc_table *t);
/* The time IPC records carry: seconds of the realtime clock. */
int64_t ipc_now(void);

#endif
