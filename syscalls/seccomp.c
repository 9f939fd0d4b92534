/* seccomp(2): its operations, on top of the filters of
 * kernel/security/seccomp.c (prctl's PR_SET_SECCOMP reaches them too). */
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/security/seccomp.h"

/* SECCOMP_GET_ACTION_AVAIL: 0 when a filter may return *user_action. */
static long action_avail(unsigned flags, const uint32_t *user_action)
{
	uint32_t action;
	if (flags)
		return -EINVAL;
	if (copy_from_user(&action, user_action, sizeof action))
		return -EFAULT;
	return seccomp_action_known(action) ? 0 : -EOPNOTSUPP;
}

/* SECCOMP_GET_NOTIF_SIZES: the sizes of the structures a listener
 * exchanges, as the kernel that defines them reports them. */
static long notif_sizes(unsigned flags, struct seccomp_notif_sizes *user_sizes)
{
	struct seccomp_notif_sizes sizes = {
	    .seccomp_notif = sizeof(struct seccomp_notif),
	    .seccomp_notif_resp = sizeof(struct seccomp_notif_resp),
	    .seccomp_data = sizeof(struct seccomp_data),
	};
	if (flags)
		return -EINVAL;
	return copy_to_user(user_sizes, &sizes, sizeof sizes) ? -EFAULT : 0;
}

long sys_seccomp(unsigned operation, unsigned flags, void *args)
{
	switch (operation) {
	case SECCOMP_SET_MODE_STRICT:
		return flags || args ? -EINVAL : seccomp_set_strict();
	case SECCOMP_SET_MODE_FILTER:
		return seccomp_set_filter(flags, args);
	case SECCOMP_GET_ACTION_AVAIL:
		return action_avail(flags, args);
	case SECCOMP_GET_NOTIF_SIZES:
		return notif_sizes(flags, args);
	default:
		return -EINVAL;
	}
}
