/* /proc/sysvipc/{shm,sem,msg}: every SysV object of a kind, one line each
 * under a header, in Linux's columns (what ipcs and LTP read). */
#include "kernel/ipc/sysvipc_proc.h"

#include "kernel/ipc/msg.h"
#include "kernel/ipc/sem.h"
#include "kernel/ipc/shm.h"

void sysvipc_shm_show(struct strbuf *out)
{
	strbuf_printf(out, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid"
	                   "      atime      dtime      ctime                   rss                  swap\n");
	for (int slot = 0, last = shm_highest_slot(); slot <= last; slot++) {
		struct shm_segment *s = shm_at_slot(slot);
		if (!s)
			continue;
		const struct ipc_object *o = &s->perm;
		strbuf_printf(out, "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10lld %10lld %10lld %21lu %21lu\n",
		              o->key, o->id, o->mode, (unsigned long)s->size, s->cpid, s->lpid, shm_attaches(s), o->uid,
		              o->gid, o->cuid, o->cgid, (long long)s->atime, (long long)s->dtime, (long long)s->ctime,
		              0ul, 0ul);
	}
}

void sysvipc_sem_show(struct strbuf *out)
{
	strbuf_printf(out, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
	for (int slot = 0, last = sem_count().highest_slot; slot <= last; slot++) {
		struct sem_set *s = sem_at_slot(slot);
		if (!s)
			continue;
		const struct ipc_object *o = &s->perm;
		strbuf_printf(out, "%10d %10d  %4o %10d %5u %5u %5u %5u %10lld %10lld\n", o->key, o->id, o->mode,
		              s->nsems, o->uid, o->gid, o->cuid, o->cgid, (long long)s->otime, (long long)s->ctime);
	}
}

void sysvipc_msg_show(struct strbuf *out)
{
	strbuf_printf(out, "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
	                   "      stime      rtime      ctime\n");
	for (int slot = 0, last = msg_count().highest_slot; slot <= last; slot++) {
		struct msg_queue *q = msg_at_slot(slot);
		if (!q)
			continue;
		const struct ipc_object *o = &q->perm;
		strbuf_printf(out, "%10d %10d  %4o  %10lu %10lu %5d %5d %5u %5u %5u %5u %10lld %10lld %10lld\n", o->key,
		              o->id, o->mode, q->bytes, q->count, q->lspid, q->lrpid, o->uid, o->gid, o->cuid, o->cgid,
		              (long long)q->stime, (long long)q->rtime, (long long)q->ctime);
	}
}
