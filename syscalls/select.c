/* select and pselect6: descriptor bitmaps turned into poll entries and
 * back, through the readiness mechanism (kernel/fs/readiness.h). */
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
#define NSEC_PER_USEC 1000ull
#define WORD_BITS 64
#define SET_WORDS (FD_MAX / WORD_BITS)

/* Which events put a descriptor in each set, as Linux's select counts them. */
#define POLLIN_SET (EPOLLRDNORM | EPOLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR)
#define POLLOUT_SET (EPOLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR)
#define POLLEX_SET EPOLLPRI

enum { SET_IN, SET_OUT, SET_EX, SET_COUNT };
static const unsigned set_events[SET_COUNT] = {POLLIN_SET, POLLOUT_SET, POLLEX_SET};

static bool bit_set(const uint64_t *set, int fd) { return set[fd / WORD_BITS] >> (fd % WORD_BITS) & 1; }

static long do_select(int nfds, uint64_t *user_sets[SET_COUNT], uint64_t deadline)
{
	if (nfds < 0)
		return -EINVAL;
	if (nfds > FD_MAX)
		nfds = FD_MAX;
	size_t bytes = (size_t)(nfds + WORD_BITS - 1) / WORD_BITS * sizeof(uint64_t);
	uint64_t sets[SET_COUNT][SET_WORDS] = {0};
	for (int s = 0; s < SET_COUNT; s++)
		if (user_sets[s] && copy_from_user(sets[s], user_sets[s], bytes))
			return -EFAULT;
	struct poll_entry *entries = kzalloc((size_t)nfds * sizeof *entries + 1);
	int *fds = kmalloc((size_t)nfds * sizeof *fds + 1);
	long ret = entries && fds ? 0 : -ENOMEM;
	size_t count = 0;
	for (int fd = 0; fd < nfds && !ret; fd++) {
		unsigned events = 0;
		for (int s = 0; s < SET_COUNT; s++)
			if (bit_set(sets[s], fd))
				events |= set_events[s];
		if (!events)
			continue;
		struct file *f = current_file(fd);
		if (!f) {
			ret = -EBADF;
			break;
		}
		file_get(f);
		entries[count] = (struct poll_entry){.file = f, .events = events};
		fds[count++] = fd;
	}
	if (!ret)
		ret = poll_entries(entries, count, deadline);
	if (ret >= 0) {
		uint64_t ready[SET_COUNT][SET_WORDS] = {0};
		ret = 0;
		for (size_t i = 0; i < count; i++)
			for (int s = 0; s < SET_COUNT; s++)
				if (bit_set(sets[s], fds[i]) && (entries[i].revents & set_events[s])) {
					ready[s][fds[i] / WORD_BITS] |= 1ull << (fds[i] % WORD_BITS);
					ret++;
				}
		for (int s = 0; s < SET_COUNT; s++)
			if (user_sets[s] && copy_to_user(user_sets[s], ready[s], bytes))
				ret = -EFAULT;
	}
	for (size_t i = 0; i < count; i++)
		file_put(entries[i].file);
	kfree(entries);
	kfree(fds);
	return ret;
}

static uint64_t time_left(uint64_t deadline)
{
	uint64_t now = time_monotonic_ns();
	return deadline > now ? deadline - now : 0;
}

long sys_select(int nfds, uint64_t *readfds, uint64_t *writefds, uint64_t *exceptfds,
                struct __kernel_old_timeval *user_timeout)
{
	uint64_t deadline = 0;
	struct __kernel_old_timeval tv;
	if (user_timeout) {
		if (copy_from_user(&tv, user_timeout, sizeof tv))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL; /* microseconds past a second carry over, as on Linux */
		deadline = deadline_after_ns((uint64_t)tv.tv_sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec * NSEC_PER_USEC);
	}
	uint64_t *sets[SET_COUNT] = {readfds, writefds, exceptfds};
	long ret = do_select(nfds, sets, deadline);
	if (user_timeout && !(current_process()->personality & STICKY_TIMEOUTS)) {
		/* Linux writes back the time left; a read-only timeval is no error. */
		uint64_t left = time_left(deadline);
		tv = (struct __kernel_old_timeval){(long)(left / NSEC_PER_SEC),
		                                   (long)(left % NSEC_PER_SEC / NSEC_PER_USEC)};
		(void)copy_to_user(user_timeout, &tv, sizeof tv);
	}
	return ret;
}

/* pselect6's sixth argument: the mask and its size, behind one pointer. */
struct sigset_argument {
	const uint64_t *mask;
	size_t size;
};

long sys_pselect6(int nfds, uint64_t *readfds, uint64_t *writefds, uint64_t *exceptfds,
                  struct __kernel_timespec *user_timeout, const struct sigset_argument *user_sigmask)
{
	uint64_t deadline;
	int bad = deadline_from_user_timespec(user_timeout, &deadline);
	if (bad)
		return bad;
	struct sigset_argument sig = {0};
	if (user_sigmask && copy_from_user(&sig, user_sigmask, sizeof sig))
		return -EFAULT;
	long err = wait_sigmask_install(sig.mask, sig.size);
	if (err)
		return err;
	uint64_t *sets[SET_COUNT] = {readfds, writefds, exceptfds};
	long ret = do_select(nfds, sets, deadline);
	if (user_timeout && !(current_process()->personality & STICKY_TIMEOUTS)) {
		uint64_t left = time_left(deadline);
		struct __kernel_timespec ts = {(long long)(left / NSEC_PER_SEC), (long long)(left % NSEC_PER_SEC)};
		(void)copy_to_user(user_timeout, &ts, sizeof ts);
	}
	return ret;
}
