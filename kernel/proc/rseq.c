/* rseq: restartable sequences. Registering publishes the thread's CPU in
 * its area, and so does its way back to the app after it was switched
 * out, when it came back on another CPU. A thread preempted or signalled
 * inside its registered critical section is moved to the section's
 * abort_ip on its way back to the app, as Linux does. */
#include "kernel/proc/rseq.h"

#include <linux/rseq.h>

#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

int rseq_publish_cpu(struct rseq *area, uint32_t cpu)
{
	if (copy_to_user(&area->cpu_id_start, &cpu, sizeof cpu) || copy_to_user(&area->cpu_id, &cpu, sizeof cpu))
		return -EFAULT;
	return 0;
}

int rseq_follow_cpu(struct thread *t)
{
	uint32_t cpu = (uint32_t)cpu_index();
	if (t->rseq_cpu == cpu)
		return 0;
	t->rseq_cpu = cpu;
	return rseq_publish_cpu((struct rseq *)t->rseq_area, cpu);
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
