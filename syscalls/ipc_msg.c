/* SysV message queue syscalls: msgget, msgsnd, msgrcv, msgctl. The queues
 * live in kernel/ipc/msg.c; a message comes into the kernel whole before
 * it is queued, and leaves it after it is taken. */
#include <linux/msg.h>

#include "kernel/errno.h"
#include "kernel/ipc/msg.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

long sys_msgget(int32_t key, int flags) { return msg_get(key, flags); }

long sys_msgsnd(int msqid, const struct msgbuf *msgp, size_t size, int flags)
{
	if (size > msg_max || msqid < 0)
		return -EINVAL;
	long type;
	if (copy_from_user(&type, &msgp->mtype, sizeof type))
		return -EFAULT;
	if (type < 1)
		return -EINVAL;
	struct msg_message *m = msg_alloc(size);
	if (!m)
		return -ENOMEM;
	m->type = type;
	int err = copy_from_user(m->text, msgp->mtext, size) ? -EFAULT : msg_send(msqid, m, flags);
	if (err)
		msg_free(m);
	return err;
}

long sys_msgrcv(int msqid, struct msgbuf *msgp, size_t size, long type, int flags)
{
	if (msqid < 0 || (long)size < 0)
		return -EINVAL;
	if ((flags & MSG_COPY) && ((flags & MSG_EXCEPT) || !(flags & IPC_NOWAIT)))
		return -EINVAL;
	int err;
	struct msg_message *m = msg_receive(msqid, size, type, flags, &err);
	if (!m)
		return err;
	size_t n = size < m->size ? size : m->size;
	long result = (long)n;
	if (copy_to_user(&msgp->mtype, &m->type, sizeof m->type) || copy_to_user(msgp->mtext, m->text, n))
		result = -EFAULT; /* the message is gone, as on Linux */
	msg_free(m);
	return result;
}

static long msg_info(int cmd, struct msginfo *buf)
{
	struct msg_totals t = msg_count();
	struct msginfo info = {
	    .msgmax = (int)msg_max, .msgmnb = (int)msg_mnb, .msgmni = (int)msg_mni, .msgssz = MSGSSZ, .msgseg = MSGSEG};
	if (cmd == MSG_INFO) {
		info.msgpool = t.queues;
		info.msgmap = (int)t.messages;
		info.msgtql = (int)t.bytes;
	} else {
		info.msgpool = MSGPOOL;
		info.msgmap = MSGMAP;
		info.msgtql = MSGTQL;
	}
	return copy_to_user(buf, &info, sizeof info) ? -EFAULT : t.highest_slot;
}

/* IPC_STAT by id; MSG_STAT and MSG_STAT_ANY by slot, returning the id. */
static long msg_stat(int msqid, int cmd, struct msqid64_ds *buf)
{
	struct msg_queue *q = cmd == IPC_STAT ? msg_find(msqid) : msg_at_slot(msqid);
	if (!q)
		return -EINVAL;
	if (cmd != MSG_STAT_ANY) {
		int err = ipc_permits(&q->perm, 0444);
		if (err)
			return err;
	}
	struct msqid64_ds ds = {.msg_stime = q->stime,
	                        .msg_rtime = q->rtime,
	                        .msg_ctime = q->ctime,
	                        .msg_cbytes = q->bytes,
	                        .msg_qnum = q->count,
	                        .msg_qbytes = q->max_bytes,
	                        .msg_lspid = q->lspid,
	                        .msg_lrpid = q->lrpid};
	ipc_perm_to_user(&q->perm, &ds.msg_perm);
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : q->perm.id;
}

/* IPC_SET and IPC_RMID: the owner's (or root's). */
static long msg_change(int msqid, int cmd, struct msqid64_ds *buf)
{
	struct msqid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof ds))
		return -EFAULT;
	struct msg_queue *q = msg_find(msqid);
	if (!q)
		return -EINVAL;
	int err = ipc_check_owner(&q->perm);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		msg_remove(q);
		return 0;
	}
	err = msg_set_max_bytes(q, ds.msg_qbytes);
	if (err)
		return err;
	ipc_set_perm(&q->perm, &ds.msg_perm);
	q->ctime = ipc_now();
	return 0;
}

long sys_msgctl(int msqid, int cmd, struct msqid64_ds *buf)
{
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(cmd, (struct msginfo *)buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat(msqid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		return msg_change(msqid, cmd, buf);
	}
	return -EINVAL;
}
