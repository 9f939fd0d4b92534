/* POSIX message queues: named queues of messages with priorities, each
 * opened as a file. Linux keeps them in its mqueue file system; here a
 * table of names stands for that file system's one folder (nothing is
 * mounted at /dev/mqueue). The syscalls (syscalls/ipc_mqueue.c) check and
 * copy the app's arguments; everything else happens here. */
#ifndef SOLE_MQUEUE_H
#define SOLE_MQUEUE_H

#include <linux/mqueue.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inode;

struct file;

/* /proc/sys/fs/mqueue: queues in all; the highest mq_maxmsg and
 * mq_msgsize; those a queue gets when mq_open has no attributes. Root may
 * go past queues_max, and past msg_max and msgsize_max up to the hard
 * ceilings. */
extern unsigned long mq_queues_max, mq_msg_max, mq_msgsize_max, mq_msg_default, mq_msgsize_default;

#define MQ_HARD_MSG_MAX 65536ul
#define MQ_MIN_MSGSIZE_MAX 128ul /* the lowest msgsize_max and msgsize_default */
#define MQ_HARD_MSGSIZE_MAX (16ul * 1024 * 1024)

struct mq_message {
	uint64_t seq; /* arrival order: first in, first out within a priority */
	unsigned prio;
	size_t size;
	char text[];
};

/* A message of size bytes for the caller to fill, NULL when out of
 * memory; mq_message_free lets go of one. */
struct mq_message *mq_message_alloc(size_t size);
void mq_message_free(struct mq_message *m);

/* mq_open, for a name already in the kernel (glibc and musl take the
 * leading slash off): the queue, made under O_CREAT with mode and attr
 * (NULL: the defaults) when it is missing, on a new close-on-exec
 * descriptor of the caller. The descriptor or -errno. */
int mq_open(const char *name, int oflag, uint32_t mode, const struct mq_attr *attr);
/* A queue named name with mode (less the umask) and the default sizes,
 * with no file yet: open(O_CREAT) in /dev/mqueue. 0 or -errno. */
int mq_create(const char *name, uint32_t mode);
/* mq_unlink: the name goes at once, the queue with its last file. */
int mq_unlink(const char *name);
/* Calls fn with each queue that has a name, and its inode (whose file
 * reads as the queue's status line): /dev/mqueue's entries. */
void mq_for_each_named(void (*fn)(void *arg, const char *name, struct inode *queue), void *arg);

/* Whether f is a queue's file. */
bool mq_file(const struct file *f);
/* -EBADF unless f was opened for sending (receiving); -EMSGSIZE when a
 * message of len bytes is too long for the queue (a receive's buffer too
 * short for its longest message). 0 when the operation may go ahead. */
int mq_check(const struct file *f, bool send, size_t len);
/* mq_timedsend: queues m (the queue's from then on), waiting for room
 * until deadline (monotonic ns, 0 for none) unless the file is
 * nonblocking. 0, -EAGAIN, -ETIMEDOUT, -ERESTARTSYS or -ENOMEM. */
int mq_send(struct file *f, struct mq_message *m, uint64_t deadline);
/* mq_timedreceive: takes the oldest message of the highest priority,
 * waiting as mq_send does. NULL and *err when none comes. */
struct mq_message *mq_receive(struct file *f, uint64_t deadline, int *err);

/* What mq_notify registers: a signal, or nothing (SIGEV_NONE). */
struct mq_notification {
	int notify; /* SIGEV_SIGNAL or SIGEV_NONE */
	int signo;  /* 0: none is sent */
	uint64_t value;
};
/* Registers the calling process for the queue's next message into an
 * empty queue that no receiver waits on (-EBUSY when another registration
 * holds); NULL takes the caller's own registration away. */
int mq_notify(struct file *f, const struct mq_notification *n);
/* mq_getsetattr's answer: the queue's sizes and the file's O_NONBLOCK. */
struct mq_attr mq_attr_of(const struct file *f);

#endif
