/* epoll_create, epoll_ctl and the epoll_wait family: the app's side of
 * epoll sets (kernel/fs/epoll.c), with Linux's argument checks. */
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/time_types.h>
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/fs/epoll.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "syscalls/wait_args.h"

#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct epoll_event))

static long epoll_create_fd(int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	return fd_install_new(current_process()->files, epoll_create(), flags & O_CLOEXEC);
}

long sys_epoll_create1(int flags) { return epoll_create_fd(flags); }
long sys_epoll_create(int size) { return size <= 0 ? -EINVAL : epoll_create_fd(0); }

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *user_event)
{
	struct epoll_event ev = {0};
	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, user_event, sizeof ev))
		return -EFAULT;
	struct file *epf = current_file(epfd), *f = current_file(fd);
	if (!epf || !f)
		return -EBADF;
	return epoll_ctl(epf, op, f, fd, ev);
}

static long epoll_wait_fd(int epfd, struct epoll_event *user_events, int max, uint64_t deadline)
{
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(user_events, (size_t)max * sizeof *user_events))
		return -EFAULT;
	struct file *f = current_file(epfd);
	return f ? epoll_wait_events(f, user_events, max, deadline) : -EBADF;
}
long sys_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms)
{
	return epoll_wait_fd(epfd, events, maxevents, deadline_after_ms(timeout_ms));
}

long sys_epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms, const uint64_t *sigmask,
                     size_t sigsetsize)
{
	long err = wait_sigmask_install(sigmask, sigsetsize);
	return err ? err : epoll_wait_fd(epfd, events, maxevents, deadline_after_ms(timeout_ms));
}

long sys_epoll_pwait2(int epfd, struct epoll_event *events, int maxevents, const struct __kernel_timespec *user_timeout,
                      const uint64_t *sigmask, size_t sigsetsize)
{
	uint64_t deadline;
	int bad = deadline_from_user_timespec(user_timeout, &deadline);
	if (bad)
		return bad;
	long err = wait_sigmask_install(sigmask, sigsetsize);
	return err ? err : epoll_wait_fd(epfd, events, maxevents, deadline);
}
