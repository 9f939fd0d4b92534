/* Capabilities: the app starts as root with every capability; capset may
 * drop them (never add), as Linux allows. They are recorded and reported;
 * the kernel's own checks go by the ids, uid 0 having every capability. */
#include <linux/capability.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

static uint64_t effective = (1ull << (CAP_LAST_CAP + 1)) - 1;
static uint64_t permitted = (1ull << (CAP_LAST_CAP + 1)) - 1;
static uint64_t inheritable;

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
	if (!process_is_named_by(current_process(), header.pid))
		return -ESRCH;
	struct __user_cap_data_struct out[2];
	for (int i = 0; i < 2; i++)
		out[i] = (struct __user_cap_data_struct){(uint32_t)(effective >> (32 * i)),
							 (uint32_t)(permitted >> (32 * i)),
							 (uint32_t)(inheritable >> (32 * i))};
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
	uint64_t e = in[0].effective | ((uint64_t)in[1].effective << 32);
	uint64_t p = in[0].permitted | ((uint64_t)in[1].permitted << 32);
	uint64_t i = in[0].inheritable | ((uint64_t)in[1].inheritable << 32);
	if ((p & ~permitted) || (e & ~p) || (i & ~(inheritable | permitted)))
		return -EPERM;
	effective = e;
	permitted = p;
	inheritable = i;
	return 0;
}
