/* Memory locking: mlock, mlock2, munlock, mlockall, munlockall. sole never
 * swaps, so locking only marks the areas (VmLck, /proc/PID/smaps' Locked)
 * and brings their pages in; RLIMIT_MEMLOCK binds all but root, whose
 * CAP_IPC_LOCK lifts it (Linux's mm/mlock.c). */
#include "kernel/security/capability.h"
#include "syscalls/mlock.h"

#include <linux/mman.h>

#include "kernel/errno.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"

#define MLOCK_ONFAULT 0x01

static bool has_ipc_lock(void) { return capable(CAP_IPC_LOCK); }

static uint64_t lock_limit(void) { return current_process()->rlimits[RLIMIT_MEMLOCK].rlim_cur; }

/* Linux's can_do_mlock: a RLIMIT_MEMLOCK above 0, or CAP_IPC_LOCK. */
static bool may_lock(void) { return lock_limit() != 0 || has_ipc_lock(); }

int mlock_may_add(struct addrspace *as, size_t len)
{
	if (!may_lock())
		return -EPERM;
	if (has_ipc_lock() || as_locked_bytes(as, 0, USER_TOP) + len <= lock_limit())
		return 0;
	return -EAGAIN;
}

/* Brings in the pages a lock without MLOCK_ONFAULT covers. As Linux does,
 * a page that cannot be had (past a file's end) is ENOMEM and a lack of
 * memory EAGAIN. */
static long populate_locked(struct addrspace *as, uintptr_t start, size_t len)
{
	int err = as_populate(as, start, len);
	return err == -EFAULT ? -ENOMEM : err == -ENOMEM ? -EAGAIN : err;
}

static long lock_range(unsigned long addr, unsigned long length, uint32_t lock)
{
	struct addrspace *as = current_process()->as;
	uintptr_t start = PAGE_ALIGN_DOWN(addr);
	size_t len = PAGE_ALIGN_UP(length + (addr - start));
	if (lock) {
		if (!may_lock())
			return -EPERM;
		/* Pages locked already in the range are not counted twice. */
		size_t locked = as_locked_bytes(as, 0, USER_TOP) - as_locked_bytes(as, start, start + len);
		if (!has_ipc_lock() && locked + len > lock_limit())
			return -ENOMEM;
	}
	if (start + len < start)
		return -EINVAL;
	if (len == 0)
		return 0;
	int err = as_lock(as, start, len, lock);
	if (err || lock != VMA_LOCKED)
		return err;
	return populate_locked(as, start, len);
}

long sys_mlock(unsigned long addr, unsigned long length) { return lock_range(addr, length, VMA_LOCKED); }

long sys_mlock2(unsigned long addr, unsigned long length, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(addr, length, (flags & MLOCK_ONFAULT) ? VMA_LOCKED | VMA_LOCKONFAULT : VMA_LOCKED);
}

long sys_munlock(unsigned long addr, unsigned long length) { return lock_range(addr, length, 0); }

/* mlockall(MCL_CURRENT) brings in what it can: a page it cannot have (past
 * a file's end) is skipped, as Linux's mm_populate does. */
static void populate_all(struct addrspace *as)
{
	for (struct vma *v = as->vmas.head; v; v = v->next)
		as_populate(as, v->start, v->end - v->start);
}

/* Sets every area's lock; the gaps between areas are no error here. */
static long lock_all(struct addrspace *as, uint32_t lock)
{
	for (struct vma *v = as->vmas.head; v;) {
		uintptr_t end = v->end;
		int err = as_lock(as, v->start, end - v->start, lock);
		if (err)
			return err;
		v = vma_first_overlap(&as->vmas, end, USER_TOP);
	}
	return 0;
}

long sys_mlockall(int flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!may_lock())
		return -EPERM;
	struct addrspace *as = current_process()->as;
	if ((flags & MCL_CURRENT) && !has_ipc_lock() && as_usage(as, 0, 0).total > lock_limit())
		return -ENOMEM;
	uint32_t lock = (flags & MCL_ONFAULT) ? VMA_LOCKED | VMA_LOCKONFAULT : VMA_LOCKED;
	as->def_flags = (flags & MCL_FUTURE) ? lock : 0;
	if (!(flags & MCL_CURRENT))
		return 0;
	long err = lock_all(as, lock);
	if (!err && lock == VMA_LOCKED)
		populate_all(as);
	return err;
}

long sys_munlockall(void)
{
	struct addrspace *as = current_process()->as;
	as->def_flags = 0;
	return lock_all(as, 0);
}
