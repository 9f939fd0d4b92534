/* Reading the app's timespecs, see timespec.h. */
#include "syscalls/timespec.h"

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"

int timespec_to_ns(const struct __kernel_timespec *t, uint64_t *ns)
{
	if (t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= (long long)NSEC_PER_SEC_U64)
		return -EINVAL;
	*ns = (uint64_t)t->tv_sec * NSEC_PER_SEC_U64 + (uint64_t)t->tv_nsec;
	return 0;
}

struct __kernel_timespec timespec_from_ns(uint64_t ns)
{
	return (struct __kernel_timespec){.tv_sec = (long long)(ns / NSEC_PER_SEC_U64),
	                                  .tv_nsec = (long long)(ns % NSEC_PER_SEC_U64)};
}

int timespec_from_user(const struct __kernel_timespec *user, uint64_t *ns)
{
	struct __kernel_timespec t;
	if (copy_from_user(&t, user, sizeof t))
		return -EFAULT;
	return timespec_to_ns(&t, ns);
}

uint64_t deadline_at_realtime(uint64_t abs_ns)
{
	uint64_t now = time_realtime_ns();
	return time_monotonic_ns() + (abs_ns > now ? abs_ns - now : 0);
}
