/* SysV message queues: typed messages in arrival order, with Linux's
 * rules for which one msgrcv takes, and senders that wait while the queue
 * is full. */
#ifndef SOLE_MSG_H
#define SOLE_MSG_H

#include <linux/msg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/ipc/ipc.h"
#include "kernel/sched/wait.h"

/* /proc/sys/kernel/{msgmax,msgmnb,msgmni}: the largest message, a new
 * queue's size in bytes, and how many queues there may be. */
extern unsigned long msg_max, msg_mnb, msg_mni;

struct msg_message {
	struct msg_message *next;
	long type;
	size_t size;
	char text[];
};

struct msg_queue {
	struct ipc_object perm;
	struct msg_message *head, *tail;
	unsigned long bytes, count, max_bytes; /* msg_cbytes, msg_qnum, msg_qbytes */
	int64_t stime, rtime, ctime;
	int lspid, lrpid;
	struct wait_queue senders, receivers;
};

/* msgget: the id, or -errno. */
int msg_get(int32_t key, int flags);
/* The queue an id or a slot names, NULL when none does. */
struct msg_queue *msg_find(int id);
struct msg_queue *msg_at_slot(int slot);
/* A message of size bytes for the caller to fill, NULL when out of
 * memory; msg_free lets go of one. */
struct msg_message *msg_alloc(size_t size);
void msg_free(struct msg_message *m);
/* msgsnd: queues m (its own from then on), waiting for room unless
 * IPC_NOWAIT. 0, or -EINVAL, -EACCES, -EIDRM, -EAGAIN, -ERESTARTNOHAND. */
int msg_send(int id, struct msg_message *m, int flags);
/* msgrcv: takes the message type and flags choose (a copy, under
 * MSG_COPY), waiting for one unless IPC_NOWAIT. NULL and *err (-EINVAL,
 * -EACCES, -EIDRM, -E2BIG, -ENOMSG, -ERESTARTNOHAND) when none comes. */
struct msg_message *msg_receive(int id, size_t room, long type, int flags, int *err);
/* IPC_SET's queue size: above MSGMNB only for root. Wakes the senders. */
int msg_set_max_bytes(struct msg_queue *q, unsigned long max_bytes);
/* IPC_RMID: the waiters fail with EIDRM. */
void msg_remove(struct msg_queue *q);

/* MSG_INFO's totals. */
struct msg_totals {
	int queues, highest_slot;
	unsigned long messages, bytes;
};
struct msg_totals msg_count(void);

#endif
