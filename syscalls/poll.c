/* poll and ppoll: an array of pollfd waited on through the readiness
 * mechanism (kernel/fs/readiness.h). */
#include <asm-generic/poll.h>
#include <linux/personality.h>
#include <linux/time_types.h>

#include "kernel/errno.h"
#include "kernel/fs/readiness.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/time.h"
#include "syscalls/fs_common.h"
#include "syscalls/wait_args.h"

#define NSEC_PER_SEC 1000000000ull

static long do_poll(struct pollfd *user_fds, unsigned nfds, uint64_t deadline)
{
	if (nfds > current_process()->rlimits[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	struct poll_entry *entries = kzalloc(nfds * sizeof *entries + 1);
	if (!entries)
		return -ENOMEM;
	long ret = 0;
	unsigned got = 0;
	for (; got < nfds; got++) {
		struct pollfd p;
		if (copy_from_user(&p, &user_fds[got], sizeof p)) {
			ret = -EFAULT;
			break;
		}
		struct poll_entry *e = &entries[got];
		if (p.fd < 0)
			continue;
		e->file = current_file(p.fd);
		if (!e->file) {
			e->revents = POLLNVAL;
			continue;
		}
		file_get(e->file);
		e->events = (unsigned short)p.events | POLL_ALWAYS_REPORTED;
	}
	if (!ret)
		ret = poll_entries(entries, nfds, deadline);
	for (unsigned i = 0; i < got; i++) {
		short revents = (short)entries[i].revents;
		if (ret >= 0 && copy_to_user(&user_fds[i].revents, &revents, sizeof revents))
			ret = -EFAULT;
		if (entries[i].file)
			file_put(entries[i].file);
	}
	kfree(entries);
	return ret;
}

long sys_poll(struct pollfd *fds, unsigned nfds, int timeout_ms)
{
	return do_poll(fds, nfds, deadline_after_ms(timeout_ms));
}

long sys_ppoll(struct pollfd *fds, unsigned nfds, struct __kernel_timespec *user_timeout, const uint64_t *sigmask,
               size_t sigsetsize)
{
	uint64_t deadline;
	int bad = deadline_from_user_timespec(user_timeout, &deadline);
	if (bad)
		return bad;
	long err = wait_sigmask_install(sigmask, sigsetsize);
	if (err)
		return err;
	long ret = do_poll(fds, nfds, deadline);
	if (user_timeout && !(current_process()->personality & STICKY_TIMEOUTS)) {
		/* Linux writes back the time left; a read-only timespec is no error. */
		uint64_t now = time_monotonic_ns();
		uint64_t left = deadline > now ? deadline - now : 0;
		struct __kernel_timespec ts = {(long long)(left / NSEC_PER_SEC), (long long)(left % NSEC_PER_SEC)};
		(void)copy_to_user(user_timeout, &ts, sizeof ts);
	}
	return ret;
}
