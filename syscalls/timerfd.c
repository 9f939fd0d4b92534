/* timerfd_create, timerfd_settime and timerfd_gettime: the app's side of
 * timerfd objects (kernel/fs/timerfd.c), with Linux's argument checks. */
#include <linux/fcntl.h>
#include <linux/time.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/timerfd.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "syscalls/timespec.h"

#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2 /* accepted; the clock is never set, so never cancelled */

long sys_timerfd_create(int clock, int flags)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	return fd_install_new(current_process()->files, timerfd_create(clock, (unsigned)flags), flags & O_CLOEXEC);
}

static struct timerfd *timerfd_of(int fd, long *err)
{
	struct file *f = current_file(fd);
	struct timerfd *t = f ? timerfd_of_file(f) : NULL;
	*err = !f ? -EBADF : !t ? -EINVAL : 0;
	return t;
}

static struct __kernel_itimerspec to_itimerspec(struct timerfd_setting s)
{
	return (struct __kernel_itimerspec){.it_interval = timespec_from_ns(s.interval),
	                                    .it_value = timespec_from_ns(s.value)};
}

long sys_timerfd_gettime(int fd, struct __kernel_itimerspec *user_value)
{
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	struct __kernel_itimerspec now = to_itimerspec(timerfd_get(t));
	return copy_to_user(user_value, &now, sizeof now) ? -EFAULT : 0;
}

long sys_timerfd_settime(int fd, int flags, const struct __kernel_itimerspec *user_new,
                         struct __kernel_itimerspec *user_old)
{
	long err;
	struct timerfd *t = timerfd_of(fd, &err);
	if (!t)
		return err;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	struct __kernel_itimerspec wanted;
	struct timerfd_setting setting;
	if (copy_from_user(&wanted, user_new, sizeof wanted))
		return -EFAULT;
	if (timespec_to_ns(&wanted.it_value, &setting.value) || timespec_to_ns(&wanted.it_interval, &setting.interval))
		return -EINVAL;
	struct __kernel_itimerspec old = to_itimerspec(timerfd_get(t));
	if (user_old && copy_to_user(user_old, &old, sizeof old))
		return -EFAULT;
	timerfd_set(t, setting, flags & TFD_TIMER_ABSTIME);
	return 0;
}
