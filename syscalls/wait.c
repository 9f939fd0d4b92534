/* wait4 and waitid: decoding which children the app waits for, and writing
 * back the status, the siginfo and the rusage (kernel/proc/child_wait.c
 * does the waiting). */
#include <linux/resource.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/pidfd.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/child_wait.h"
#include "kernel/proc/process.h"

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3
#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)
#define WAITID_OPTIONS (WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ull

static struct __kernel_old_timeval timeval_from_ns(uint64_t ns)
{
	uint64_t us = ns / NSEC_PER_USEC;
	return (struct __kernel_old_timeval){(long)(us / USEC_PER_SEC), (long)(us % USEC_PER_SEC)};
}

static int copy_rusage(struct rusage *user, const struct child_report *r)
{
	if (!user)
		return 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	ru.ru_utime = timeval_from_ns(r->cpu.user_ns);
	ru.ru_stime = timeval_from_ns(r->cpu.system_ns);
	return copy_to_user(user, &ru, sizeof ru) ? -EFAULT : 0;
}

long sys_wait4(int pid, int *user_status, int options, struct rusage *user_rusage)
{
	if ((unsigned)options & ~(unsigned)WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == -0x7fffffff - 1)
		return -ESRCH; /* INT_MIN cannot be negated into a group, as on Linux */
	struct child_selector sel = {.options = options | WEXITED};
	if (pid > 0)
		sel = (struct child_selector){CHILD_PID, pid, sel.options};
	else if (pid == 0)
		sel = (struct child_selector){CHILD_PGID, current_process()->pgid, sel.options};
	else if (pid < -1)
		sel = (struct child_selector){CHILD_PGID, -pid, sel.options};
	struct child_report r;
	long found = child_wait(&sel, &r);
	if (found <= 0)
		return found;
	if (user_status && copy_to_user(user_status, &r.wait_status, sizeof r.wait_status))
		return -EFAULT;
	return copy_rusage(user_rusage, &r) ? -EFAULT : found;
}

/* Linux's siginfo for waitid: si_signo SIGCHLD, si_code CLD_*, and the
 * child's pid, uid and status at offset 16. */
struct waitid_info {
	int32_t signo, errnum, code, pad;
	int32_t pid;
	uint32_t uid;
	int32_t status;
	uint8_t rest[128 - 28];
};

/* The siginfo's code and status for a wait status. */
static void siginfo_status(int wait_status, int32_t *code, int32_t *status)
{
	int sig = wait_status & 0x7f;
	if (wait_status == 0xffff) {
		*code = CLD_CONTINUED;
		*status = SIGCONT;
	} else if (sig == 0x7f) {
		*code = CLD_STOPPED;
		*status = (wait_status >> 8) & 0xff;
	} else if (sig) {
		*code = (wait_status & 0x80) ? CLD_DUMPED : CLD_KILLED;
		*status = sig;
	} else {
		*code = CLD_EXITED;
		*status = (wait_status >> 8) & 0xff;
	}
}

long sys_waitid(int idtype, int id, void *user_info, int options, struct rusage *user_rusage)
{
	if ((unsigned)options & ~(unsigned)WAITID_OPTIONS)
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	struct child_selector sel = {CHILD_ANY, 0, options};
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		sel.match = CHILD_PID;
		sel.id = id;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		sel.match = CHILD_PGID;
		sel.id = id ? id : current_process()->pgid;
		break;
	case P_PIDFD: {
		struct file *f = current_file(id);
		struct process *p;
		long err = f ? pidfd_process(f, &p) : -EBADF;
		if (err)
			return err == -ESRCH ? -ECHILD : err;
		sel.match = CHILD_PID;
		sel.id = p->pid;
		break;
	}
	default:
		return -EINVAL;
	}
	struct child_report r = {0}; /* with WNOHANG and no child ready, Linux reports zeros */
	long found = child_wait(&sel, &r);
	if (found < 0)
		return found;
	struct waitid_info info;
	memset(&info, 0, sizeof info);
	if (found > 0) {
		info.signo = SIGCHLD;
		info.pid = r.pid;
		info.uid = r.uid;
		siginfo_status(r.wait_status, &info.code, &info.status);
	}
	if (user_info && copy_to_user(user_info, &info, sizeof info))
		return -EFAULT;
	return copy_rusage(user_rusage, &r);
}
