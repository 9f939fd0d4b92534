/* rseq: restartable sequences. With one CPU the app's cpu_id never
 * changes, so registering publishes cpu 0 once. A thread preempted or
 * signalled inside its registered critical section is moved to the
 * section's abort_ip on its way back to the app, as Linux does. */
#include <linux/rseq.h>
#include <stddef.h>

#include "syscalls/rseq.h"

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

#define ORIG_RSEQ_SIZE 32

static int publish_cpu(struct rseq *area, uint32_t cpu)
{
	if (copy_to_user(&area->cpu_id_start, &cpu, sizeof cpu) || copy_to_user(&area->cpu_id, &cpu, sizeof cpu))
		return -EFAULT;
	return 0;
}

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
		int err = publish_cpu(area, (uint32_t)RSEQ_CPU_ID_UNINITIALIZED);
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
	int err = publish_cpu(area, 0);
	if (err)
		return err;
	t->rseq_area = (uint64_t)area;
	t->rseq_len = len;
	t->rseq_sig = sig;
	return 0;
}

int rseq_abort_critical_section(struct thread *t, struct trap_frame *f)
{
	struct rseq *area = (struct rseq *)t->rseq_area;
	uint64_t descriptor;
	if (copy_from_user(&descriptor, &area->rseq_cs, sizeof descriptor))
		return -EFAULT;
	if (!descriptor)
		return 0;
	struct rseq_cs cs;
	if (descriptor >= USER_TOP || copy_from_user(&cs, (const void *)descriptor, sizeof cs))
		return -EFAULT;
	/* Linux's checks: a known version, no wrap, abort_ip outside the section. */
	if (cs.version > 0 || cs.start_ip + cs.post_commit_offset < cs.start_ip ||
	    cs.abort_ip - cs.start_ip < cs.post_commit_offset)
		return -EINVAL;
	uint32_t signature;
	if (copy_from_user(&signature, (const void *)(cs.abort_ip - sizeof signature), sizeof signature))
		return -EFAULT;
	if (signature != t->rseq_sig)
		return -EINVAL;
	uint64_t none = 0;
	if (copy_to_user(&area->rseq_cs, &none, sizeof none))
		return -EFAULT;
	if (f->rip - cs.start_ip < cs.post_commit_offset)
		f->rip = cs.abort_ip;
	return 0;
}
