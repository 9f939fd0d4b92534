/* Memory syscalls: brk, mmap, munmap, mprotect, madvise, mremap, msync,
 * mincore. The mlock family is in mlock.c. */
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "kernel/errno.h"
#include "kernel/fs/pidfd.h"
#include "kernel/fs/seals.h"
#include "kernel/intern.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/process.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/signal.h"
#include "kernel/security/capability.h"
#include "syscalls/fs_common.h"
#include "syscalls/iovec.h"
#include "syscalls/mlock.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

/* Linux's may_expand_vm: len more bytes at [start, start+len), of data when
 * data is set, must stay within RLIMIT_AS and RLIMIT_DATA. */
static bool within_limits(struct addrspace *as, uintptr_t start, size_t len, bool data)
{
	const struct rlimit64 *limits = current_process()->rlimits;
	bool data_limited = data && limits[RLIMIT_DATA].rlim_cur != ~0ull;
	if (limits[RLIMIT_AS].rlim_cur == ~0ull && !data_limited)
		return true; /* no limit: no walk over every area on every mmap */
	struct as_usage u = as_usage(as, start, start + len);
	if (u.total + len > limits[RLIMIT_AS].rlim_cur)
		return false;
	return !data || u.data + len <= limits[RLIMIT_DATA].rlim_cur;
}

long sys_brk(unsigned long want)
{
	struct addrspace *as = current_process()->as;
	uintptr_t old_top = PAGE_ALIGN_UP(as->brk_end);
	uintptr_t new_top = PAGE_ALIGN_UP(want);
	if (want < as->brk_start || want > as->mmap_top)
		return (long)as->brk_end;
	if (new_top > old_top) {
		if (vma_first_overlap(&as->vmas, old_top, new_top))
			return (long)as->brk_end; /* would run into another mapping */
		if (!within_limits(as, old_top, new_top - old_top, true))
			return (long)as->brk_end;
		if (as->def_flags && mlock_may_add(as, new_top - old_top))
			return (long)as->brk_end;
		struct vma *heap = old_top > as->brk_start ? vma_find(&as->vmas, old_top - 1) : NULL;
		if (heap && (heap->flags & VMA_HEAP))
			heap->end = new_top;
		else if (as_map(as, old_top, new_top - old_top, VMA_READ | VMA_WRITE, VMA_HEAP, NULL, 0, 0, "[heap]"))
			return (long)as->brk_end;
		if (as->def_flags == VMA_LOCKED)
			as_populate(as, old_top, new_top - old_top); /* mlockall(MCL_FUTURE) */
	} else if (new_top < old_top) {
		as_unmap(as, new_top, old_top - new_top);
	}
	as->brk_end = want;
	return (long)want;
}

#define MAP_TYPE_MASK 0x0f
#define MAP_KNOWN                                                                                                      \
	(MAP_TYPE_MASK | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED |     \
	 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE |      \
	 (0x3ful << 26))

static int mapping_target(struct addrspace *as, unsigned long addr, size_t len, int flags, uintptr_t *start)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		/* Linux's order: past TASK_SIZE is ENOMEM, below mmap_min_addr EPERM. */
		if (addr + len > USER_TOP || addr + len < addr)
			return -ENOMEM;
		if (addr < USER_MIN_ADDR)
			return (flags & MAP_FIXED) ? -EPERM : -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    vma_first_overlap(&as->vmas, addr, addr + len))
			return -EEXIST;
		*start = addr;
		return 0;
	}
	uintptr_t hint = PAGE_ALIGN_DOWN(addr);
	if (hint >= USER_MIN_ADDR && hint + len <= as->mmap_top && hint + len > hint &&
	    !vma_first_overlap(&as->vmas, hint, hint + len)) {
		*start = hint;
		return 0;
	}
	return as_find_free(as, len, start);
}

long sys_mmap(unsigned long addr, unsigned long length, unsigned long prot, unsigned long flags, int fd,
              unsigned long offset)
{
	struct addrspace *as = current_process()->as;
	if (!(flags & MAP_ANONYMOUS) && !current_file(fd))
		return -EBADF; /* Linux looks the file up before it looks at anything else */
	int type = (int)(flags & MAP_TYPE_MASK);
	if (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
		return -EOPNOTSUPP;
	if (length == 0 || (offset & (PAGE_SIZE - 1)) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	size_t len = PAGE_ALIGN_UP(length);
	if (len < length)
		return -ENOMEM;
	struct inode *file = NULL;
	const char *name = NULL; /* the file's path, for /proc/self/maps and crash records */
	bool may_write = type != MAP_PRIVATE;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = current_file(fd);
		if (!f)
			return -EBADF;
		struct inode *target = f->inode;
		int err = f->ops->mmap_target ? f->ops->mmap_target(f, &offset, len, &target) : 0;
		if (err)
			return err;
		if (!S_ISREG(target->mode))
			return -ENODEV;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EACCES;
		if (type != MAP_PRIVATE && (prot & PROT_WRITE) && (f->flags & O_ACCMODE) != O_RDWR)
			return -EACCES;
		if (target->file.generate)
			return -ENODEV; /* /proc files have no pages */
		may_write = type != MAP_PRIVATE && (f->flags & O_ACCMODE) == O_RDWR;
		err = type != MAP_PRIVATE ? seals_check_shared_map(target, prot & PROT_WRITE, &may_write) : 0;
		if (err)
			return err;
		file = target;
		name = f->path ? intern(f->path) : NULL;
	} else if (type != MAP_PRIVATE) {
		/* Shared anonymous memory is an unnamed file, as Linux's shmem: a
		 * page first touched after a fork is shared too, and the data
		 * outlives MADV_DONTNEED. The area holds the file. */
		file = inode_new(S_IFREG | 0600);
		if (!file)
			return -ENOMEM;
		file->nlink = 0;
		file->size = len;
		name = "/dev/zero (deleted)";
	}
	uintptr_t start;
	int err = mapping_target(as, addr, len, (int)flags, &start);
	bool data = type == MAP_PRIVATE && (prot & PROT_WRITE) && !(flags & MAP_GROWSDOWN);
	if (!err && !within_limits(as, start, len, data))
		err = -ENOMEM;
	uint32_t lock = ((flags & MAP_LOCKED) ? VMA_LOCKED : 0) | as->def_flags;
	if (!err && lock)
		err = mlock_may_add(as, len);
	if (!err)
		err = as_map(as, start, len, (uint32_t)prot,
		             ((flags & MAP_GROWSDOWN) ? VMA_STACK | VMA_GROWSDOWN : 0) |
		                 (type != MAP_PRIVATE && file ? VMA_SHARED : 0) | (may_write ? VMA_MAYWRITE : 0),
		             file, (flags & MAP_ANONYMOUS) ? 0 : offset, len, name);
	if (file && (flags & MAP_ANONYMOUS))
		inode_put(file);
	if (!err && lock)
		err = as_lock(as, start, len, lock);
	/* A locked area's pages come in at once, unless locked on fault. */
	if (!err && ((flags & MAP_POPULATE) || lock == VMA_LOCKED))
		as_populate(as, start, len);
	return err ? err : (long)start;
}

long sys_munmap(unsigned long addr, unsigned long length)
{
	if ((addr & (PAGE_SIZE - 1)) || length == 0)
		return -EINVAL;
	return as_unmap(current_process()->as, addr, length);
}

long sys_mprotect(unsigned long addr, unsigned long length, unsigned long prot)
{
	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	if (length == 0)
		return 0;
	return as_protect(current_process()->as, addr, length, (uint32_t)prot);
}

/* The advice Linux knows, built as sole's kernel config says: no KSM
 * (MADV_MERGEABLE), no memory-failure injection (MADV_HWPOISON). Huge-page
 * advice is taken as the hint it is, for the apps that give it. */
static bool advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_COLLAPSE:
		return true;
	}
	return false;
}

/* Linux's refusals area by area: a locked area keeps its pages (EINVAL for
 * DONTNEED, FREE and REMOVE); MADV_FREE is for private anonymous memory
 * only, MADV_REMOVE for shared mappings that may write. */
static int advice_fits(const struct vma *v, int advice)
{
	bool drops = advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE;
	if ((drops && (v->flags & VMA_LOCKED)) || (advice == MADV_FREE && v->file) ||
	    (advice == MADV_REMOVE && !v->file))
		return -EINVAL;
	if (advice == MADV_REMOVE && !((v->flags & VMA_SHARED) && (v->prot & VMA_WRITE)))
		return -EACCES;
	return 0;
}

/* madvise on address space as: the calling process's, or process_madvise's target. */
static long madvise_in(struct addrspace *as, unsigned long addr, unsigned long length, int advice)
{
	size_t len = PAGE_ALIGN_UP(length);
	if (!advice_known(advice) || (addr & (PAGE_SIZE - 1)) || (length && !len) || addr + len < addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	for (struct vma *v = vma_first_overlap(&as->vmas, addr, addr + len); v && v->start < addr + len; v = v->next) {
		int err = advice_fits(v, advice);
		if (err)
			return err;
	}
	switch (advice) {
	case MADV_DONTNEED:
		return as_discard(as, addr, length);
	case MADV_DONTFORK:
		return as_set_flags(as, addr, length, VMA_DONTFORK, 0);
	case MADV_DOFORK:
		return as_set_flags(as, addr, length, 0, VMA_DONTFORK);
	case MADV_WIPEONFORK:
		return as_set_flags(as, addr, length, VMA_WIPEONFORK, 0);
	case MADV_KEEPONFORK:
		return as_set_flags(as, addr, length, 0, VMA_WIPEONFORK);
	}
	/* Other advice is a hint Linux may ignore too; a gap is still ENOMEM. */
	return as_check_mapped(as, addr, len);
}

long sys_madvise(unsigned long addr, unsigned long length, int advice)
{
	return madvise_in(current_process()->as, addr, length, advice);
}

/* The advice process_madvise takes for another process: hints only,
 * which sole, having no swap and no huge pages to collapse, checks and
 * does not act on. For the caller itself, any madvise advice (Linux 6.14). */
static bool remote_advice(int advice)
{
	return advice == MADV_COLD || advice == MADV_PAGEOUT || advice == MADV_WILLNEED || advice == MADV_COLLAPSE;
}

long sys_process_madvise(int pidfd, const struct iovec *user_iov, size_t vlen, int advice, unsigned flags)
{
	if (flags)
		return -EINVAL;
	if (vlen > IOV_COUNT_MAX)
		return -EINVAL;
	struct iovec *iov;
	long total = iovec_from_user(user_iov, vlen, &iov);
	if (total < 0)
		return total;
	struct process *target;
	struct file *f = current_file(pidfd);
	long err = f ? pidfd_process(f, &target) : -EBADF;
	bool remote = !err && target != current_process();
	if (!err && (!target->as || target->state != PROCESS_ALIVE))
		err = -ESRCH;
	if (!err && remote && !kill_permitted(target, 0))
		err = -EPERM; /* Linux asks for ptrace read access */
	if (!err && remote && !remote_advice(advice))
		err = -EINVAL;
	if (!err && remote && !capable(CAP_SYS_NICE))
		err = -EPERM;
	size_t done = 0;
	for (size_t i = 0; !err && i < vlen; i++) {
		err = madvise_in(target->as, (unsigned long)iov[i].iov_base, iov[i].iov_len, advice);
		if (!err)
			done += iov[i].iov_len;
	}
	kfree(iov);
	return done ? (long)done : err;
}

/* Linux's emulation since 3.16: the area becomes a fresh MAP_SHARED |
 * MAP_FIXED mapping of the same file at page pgoff, with the area's
 * protection. */
long sys_remap_file_pages(unsigned long start, unsigned long size, unsigned long prot, unsigned long pgoff,
                          unsigned long flags)
{
	(void)flags; /* MAP_NONBLOCK, the only one Linux keeps, asks for nothing here */
	start &= ~(unsigned long)(PAGE_SIZE - 1);
	size &= ~(unsigned long)(PAGE_SIZE - 1);
	if (prot || start + size <= start || pgoff + size / PAGE_SIZE < pgoff || pgoff > UINT64_MAX / PAGE_SIZE)
		return -EINVAL;
	struct addrspace *as = current_process()->as;
	struct vma *v = vma_find(&as->vmas, start);
	if (!v || v->start > start || !(v->flags & VMA_SHARED) || !v->file || start + size > v->end)
		return -EINVAL;
	struct inode *file = v->file;
	uint32_t locked = v->flags & VMA_LOCKED;
	inode_get(file); /* the old area's hold goes with it */
	int err = as_map(as, start, size, v->prot, v->flags & (VMA_SHARED | VMA_MAYWRITE), file, pgoff * PAGE_SIZE,
	                 size, v->name);
	inode_put(file);
	if (!err && locked && !(err = as_lock(as, start, size, locked)))
		as_populate(as, start, size);
	return err;
}

/* Linux reaps a dying process's memory ahead of its exit; sole frees it as
 * the process ends, so what is left is the answer: 0 for a process that is
 * ending (or whose memory is gone), EINVAL for one that is not. */
long sys_process_mrelease(int pidfd, unsigned flags)
{
	if (flags)
		return -EINVAL;
	struct process *target;
	struct file *f = current_file(pidfd);
	long err = f ? pidfd_process(f, &target) : -EBADF;
	if (err)
		return err;
	bool dying = target->state != PROCESS_ALIVE || (target->shared_pending.set & signal_bit(SIGKILL));
	return dying ? 0 : -EINVAL;
}

long sys_mremap(unsigned long old_addr, unsigned long old_size, unsigned long new_size, unsigned long flags,
                unsigned long new_addr)
{
	if ((old_addr & (PAGE_SIZE - 1)) || (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED)))
		return -EINVAL;
	if (((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || new_size == 0 || old_size == 0)
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && ((new_addr & (PAGE_SIZE - 1)) || new_addr < USER_MIN_ADDR))
		return -EINVAL;
	if (PAGE_ALIGN_UP(new_size) < new_size)
		return -ENOMEM;
	return as_remap(current_process()->as, old_addr, old_size, new_size, flags & MREMAP_MAYMOVE,
	                (flags & MREMAP_FIXED) ? new_addr : 0);
}

long sys_msync(unsigned long addr, unsigned long length, int flags)
{
	if ((addr & (PAGE_SIZE - 1)) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	/* Shared mappings are the file's own pages: only a volume's go on to the host. */
	return as_sync(current_process()->as, addr, length, flags & MS_INVALIDATE);
}

long sys_mincore(unsigned long addr, unsigned long length, unsigned char *vec)
{
	struct addrspace *as = current_process()->as;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	/* Linux's order: the range in the address space (ENOMEM), then the
	 * vector (EFAULT), before a byte is written. */
	if (!user_range_ok((void *)addr, length) || PAGE_ALIGN_UP(length) < length)
		return -ENOMEM;
	size_t pages = PAGE_ALIGN_UP(length) / PAGE_SIZE;
	if (!user_range_ok(vec, pages))
		return -EFAULT;
	int err = as_check_mapped(as, addr, length);
	if (err)
		return err;
	for (size_t i = 0; i < pages; i++) {
		unsigned char in = as_resident(as, addr + i * PAGE_SIZE);
		if (copy_to_user(vec + i, &in, 1))
			return -EFAULT;
	}
	return 0;
}
