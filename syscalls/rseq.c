/* rseq: registering and unregistering a thread's struct rseq, with
 * Linux's argument checks. What the kernel does with it on the way back to
 * the app is in kernel/proc/rseq.c. */
#include <linux/rseq.h>
#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/proc/rseq.h"

#define ORIG_RSEQ_SIZE 32

long sys_rseq(struct rseq *area, uint32_t len, int flags, uint32_t sig)
{
	struct thread *t = current_thread();
	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if ((uint64_t)area != t->rseq_area)
			return -EINVAL;
		if (len != t->rseq_len)
			return -EINVAL;
		if (sig != t->rseq_sig)
			return -EPERM;
		int err = rseq_publish_cpu(area, (uint32_t)RSEQ_CPU_ID_UNINITIALIZED);
		if (err)
			return err;
		t->rseq_area = 0;
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (t->rseq_area) {
		if ((uint64_t)area != t->rseq_area || len != t->rseq_len)
			return -EINVAL;
		return sig == t->rseq_sig ? -EBUSY : -EPERM;
	}
	if (len < ORIG_RSEQ_SIZE || ((uintptr_t)area & (ORIG_RSEQ_SIZE - 1)))
		return -EINVAL;
	if (!user_range_ok(area, len))
		return -EFAULT;
	int err = rseq_publish_cpu(area, (uint32_t)cpu_index());
	if (err)
		return err;
	t->rseq_cpu = (uint32_t)cpu_index();
	t->rseq_area = (uint64_t)area;
	t->rseq_len = len;
	t->rseq_sig = sig;
	return 0;
}
