/* SysV shared memory syscalls: shmget, shmat, shmdt, shmctl. The segments
 * live in kernel/ipc/shm.c; an attach is a shared mapping of a segment's
 * file, made and undone here as mmap and munmap do theirs. */
#include <linux/mman.h>
#include <linux/shm.h>

#include "kernel/errno.h"
#include "kernel/ipc/shm.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

#define SHMLBA PAGE_SIZE

long sys_shmget(int32_t key, size_t size, int flags) { return shm_get(key, size, flags); }

/* Where an attach goes: the (aligned) address asked for, or a free range.
 * Linux's rule: a range in use is EINVAL unless SHM_REMAP takes it over. */
static int attach_target(struct addrspace *as, uintptr_t addr, size_t len, int flags, uintptr_t *start)
{
	if (!addr)
		return (flags & SHM_REMAP) ? -EINVAL : as_find_free(as, len, start);
	if (addr + len < addr)
		return -EINVAL;
	if (!(flags & SHM_REMAP) && vma_first_overlap(&as->vmas, addr, addr + len))
		return -EINVAL;
	if (addr < USER_MIN_ADDR)
		return -EPERM;
	if (addr + len > USER_TOP)
		return -ENOMEM;
	*start = addr;
	return 0;
}

long sys_shmat(int shmid, unsigned long addr, int flags)
{
	if (shmid < 0)
		return -EINVAL;
	uint32_t prot = VMA_READ;
	int want = 0444;
	if (!(flags & SHM_RDONLY)) {
		prot |= VMA_WRITE;
		want |= 0222;
	}
	if (flags & SHM_EXEC) {
		prot |= VMA_EXEC;
		want |= 0111;
	}
	if (addr & (SHMLBA - 1)) {
		if (!(flags & SHM_RND) || addr < SHMLBA)
			return -EINVAL;
		addr &= ~(unsigned long)(SHMLBA - 1);
	}
	struct shm_segment *s = shm_find(shmid);
	if (!s)
		return -EINVAL;
	int err = ipc_permits(&s->perm, want);
	if (err)
		return err;
	struct addrspace *as = current_process()->as;
	size_t len = PAGE_ALIGN_UP(s->size);
	uintptr_t start;
	err = attach_target(as, addr, len, flags, &start);
	if (!err)
		err = as_map(as, start, len, prot, VMA_SHARED | (prot & VMA_WRITE ? VMA_MAYWRITE : 0), s->file, 0, len,
		             shm_map_name(s));
	if (err)
		return err;
	shm_note_attach(s);
	return (long)start;
}

/* The first area at or above addr that an attach at addr made: one of a
 * segment's file whose offset is its distance from addr (Linux's rule, so
 * a partly unmapped attach is still found). */
static struct vma *attach_at(struct addrspace *as, uintptr_t addr, struct shm_segment **seg)
{
	for (struct vma *v = vma_first_overlap(&as->vmas, addr, USER_TOP); v; v = v->next) {
		if (!v->file || !(v->flags & VMA_SHARED) || v->start - addr != v->file_offset)
			continue;
		*seg = shm_of_file(v->file);
		if (*seg)
			return v;
	}
	return NULL;
}

long sys_shmdt(unsigned long addr)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	struct addrspace *as = current_process()->as;
	struct shm_segment *s;
	struct vma *v = attach_at(as, addr, &s);
	if (!v)
		return -EINVAL;
	uintptr_t end = addr + PAGE_ALIGN_UP(s->size);
	while (v && v->start < end) {
		struct vma *next = v->next;
		if (v->file == s->file && v->start - addr == v->file_offset)
			as_unmap(as, v->start, v->end - v->start);
		v = next;
	}
	shm_note_detach(s);
	return 0;
}

static void stat_of(const struct shm_segment *s, struct shmid64_ds *ds)
{
	*ds = (struct shmid64_ds){0};
	ipc_perm_to_user(&s->perm, &ds->shm_perm);
	ds->shm_segsz = s->size;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	ds->shm_cpid = s->cpid;
	ds->shm_lpid = s->lpid;
	ds->shm_nattch = shm_attaches(s);
}

static long shm_info(int cmd, void *buf)
{
	if (cmd == IPC_INFO) {
		struct shminfo64 info = {
		    .shmmax = shm_max, .shmmin = SHMMIN, .shmmni = shm_mni, .shmseg = SHMSEG, .shmall = shm_all};
		if (copy_to_user(buf, &info, sizeof info))
			return -EFAULT;
	} else {
		struct shm_totals t = shm_count();
		struct shm_info info = {.used_ids = t.segments, .shm_tot = t.pages, .shm_rss = t.resident};
		if (copy_to_user(buf, &info, sizeof info))
			return -EFAULT;
	}
	return shm_highest_slot();
}

/* IPC_STAT by id; SHM_STAT and SHM_STAT_ANY by slot, returning the id. */
static long shm_stat(int shmid, int cmd, struct shmid64_ds *buf)
{
	struct shm_segment *s = cmd == IPC_STAT ? shm_find(shmid) : shm_at_slot(shmid);
	if (!s)
		return -EINVAL;
	if (cmd != SHM_STAT_ANY) {
		int err = ipc_permits(&s->perm, 0444);
		if (err)
			return err;
	}
	struct shmid64_ds ds;
	stat_of(s, &ds);
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : s->perm.id;
}

/* SHM_LOCK and SHM_UNLOCK: nothing is ever swapped out, so they only mark
 * the segment; the owner may, or anyone with RLIMIT_MEMLOCK above 0. */
static long shm_lock(struct shm_segment *s, int cmd)
{
	struct process *p = current_process();
	if (!capable(CAP_IPC_LOCK)) {
		if (p->cred.euid != s->perm.uid && p->cred.euid != s->perm.cuid)
			return -EPERM;
		if (cmd == SHM_LOCK && p->rlimits[RLIMIT_MEMLOCK].rlim_cur == 0)
			return -EPERM;
	}
	if (cmd == SHM_LOCK)
		s->perm.mode |= SHM_LOCKED;
	else
		s->perm.mode &= ~(uint32_t)SHM_LOCKED;
	return 0;
}

long sys_shmctl(int shmid, int cmd, struct shmid64_ds *buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(shmid, cmd, buf);
	}
	struct shmid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof ds))
		return -EFAULT;
	if (cmd != IPC_SET && cmd != IPC_RMID && cmd != SHM_LOCK && cmd != SHM_UNLOCK)
		return -EINVAL;
	struct shm_segment *s = shm_find(shmid);
	if (!s)
		return -EINVAL;
	if (cmd == SHM_LOCK || cmd == SHM_UNLOCK)
		return shm_lock(s, cmd);
	int err = ipc_check_owner(&s->perm);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		shm_remove(s);
		return 0;
	}
	ipc_set_perm(&s->perm, &ds.shm_perm);
	s->ctime = ipc_now();
	return 0;
}
