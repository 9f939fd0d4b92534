/* capget and capset: the user ABI of a thread's capability sets (two
 * 32-bit words per set since _LINUX_CAPABILITY_VERSION_2, one before).
 * The sets and capset's rules are kernel/security/capability.c's. */
#include <linux/capability.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

/* How many data structs a header's version uses; 0 for an unknown one,
 * after telling the caller the version to use. */
static int words_for(struct __user_cap_header_struct *user_header, struct __user_cap_header_struct *header)
{
	if (copy_from_user(header, user_header, sizeof *header))
		return -EFAULT;
	if (header->version == _LINUX_CAPABILITY_VERSION_1)
		return 1;
	if (header->version == _LINUX_CAPABILITY_VERSION_2 || header->version == _LINUX_CAPABILITY_VERSION_3)
		return 2;
	header->version = _LINUX_CAPABILITY_VERSION_3;
	return copy_to_user(user_header, header, sizeof *header) ? -EFAULT : 0;
}

static uint64_t join(uint32_t low, uint32_t high) { return low | (uint64_t)high << 32; }

long sys_capget(struct __user_cap_header_struct *user_header, struct __user_cap_data_struct *data)
{
	struct __user_cap_header_struct header;
	int words = words_for(user_header, &header);
	if (!data) /* a version probe: Linux answers before it looks at the pid */
		return words < 0 ? words : 0;
	if (words <= 0)
		return words < 0 ? words : -EINVAL;
	if (header.pid < 0)
		return -EINVAL;
	struct thread *target = header.pid ? thread_by_tid(header.pid) : current_thread();
	if (!target)
		return -ESRCH;
	const struct capability_sets *s = &target->proc->cred.caps;
	struct __user_cap_data_struct out[2];
	for (int i = 0; i < 2; i++)
		out[i] = (struct __user_cap_data_struct){(uint32_t)(s->effective >> (32 * i)),
		                                         (uint32_t)(s->permitted >> (32 * i)),
		                                         (uint32_t)(s->inheritable >> (32 * i))};
	return copy_to_user(data, out, (size_t)words * sizeof out[0]) ? -EFAULT : 0;
}

long sys_capset(struct __user_cap_header_struct *user_header, const struct __user_cap_data_struct *data)
{
	struct __user_cap_header_struct header;
	int words = words_for(user_header, &header);
	if (words <= 0)
		return words < 0 ? words : -EINVAL;
	if (header.pid != 0 && header.pid != current_thread()->tid)
		return -EPERM;
	struct __user_cap_data_struct in[2] = {0};
	if (copy_from_user(in, data, (size_t)words * sizeof in[0]))
		return -EFAULT;
	return capabilities_set(&current_process()->cred, join(in[0].effective, in[1].effective),
	                        join(in[0].permitted, in[1].permitted), join(in[0].inheritable, in[1].inheritable));
}
