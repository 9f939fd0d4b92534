/* Process and thread syscalls: exit, ids, TLS (arch_prctl), the
 * clear-child-tid address, resource limits and prctl. */
#include <asm/prctl.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/seccomp.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/kill.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/session.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "kernel/security/seccomp.h"

long sys_exit_group(int status) { process_exit(current_process(), status); }

long sys_getpid(void) { return current_process()->pid; }
long sys_gettid(void) { return current_thread()->tid; }
long sys_getppid(void) { return process_ppid(current_process()); }
long sys_getpgrp(void) { return current_process()->pgid; }

/* The process a pid argument names: the caller for 0, NULL when none. */
static struct process *process_named(int pid)
{
	if (pid == 0)
		return current_process();
	return pid > 0 ? process_by_pid(pid) : NULL;
}

long sys_getpgid(int pid)
{
	struct process *p = process_named(pid);
	return p ? p->pgid : -ESRCH;
}

long sys_getsid(int pid)
{
	struct process *p = process_named(pid);
	return p ? p->sid : -ESRCH;
}

long sys_setpgid(int pid, int pgid)
{
	if (pid < 0 || pgid < 0)
		return -EINVAL;
	struct process *p = process_named(pid);
	return p ? session_set_group(p, pgid) : -ESRCH;
}

long sys_setsid(void) { return session_create(); }

long sys_set_tid_address(int *tidptr)
{
	current_thread()->clear_child_tid = (uint64_t)tidptr;
	return current_thread()->tid;
}

long sys_set_robust_list(void *head, size_t len)
{
	if (len != 24) /* sizeof(struct robust_list_head) */
		return -EINVAL;
	current_thread()->robust_list = (uint64_t)head;
	current_thread()->robust_list_len = len;
	return 0;
}

#define PER_LINUX 0
#define PER_MASK 0xff
#define QUERY_PERSONALITY 0xffffffffu

/* The process's execution domain and flags: any value is kept, as Linux
 * keeps it; select honours STICKY_TIMEOUTS, and exec ADDR_NO_RANDOMIZE
 * (kernel/mm/aslr.c). */
long sys_personality(unsigned persona)
{
	struct process *p = current_process();
	unsigned old = p->personality;
	if (persona != QUERY_PERSONALITY)
		p->personality = persona;
	return old;
}

long sys_get_robust_list(int tid, uint64_t *head_ptr, size_t *len_ptr)
{
	struct thread *t = tid == 0 ? current_thread() : thread_by_tid(tid);
	if (!t || t->state == THREAD_DEAD)
		return -ESRCH;
	if (t->proc != current_process() && !kill_permitted(t->proc, 0))
		return -EPERM; /* Linux asks for ptrace read access; sole, the right to signal */
	if (copy_to_user(head_ptr, &t->robust_list, sizeof t->robust_list) ||
	    copy_to_user(len_ptr, &t->robust_list_len, sizeof t->robust_list_len))
		return -EFAULT;
	return 0;
}

long sys_arch_prctl(int code, unsigned long addr)
{
	struct thread *t = current_thread();
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		t->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &t->fs_base, sizeof t->fs_base) ? -EFAULT : 0;
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM;
		/* The app's GS base sits in KERNEL_GS_BASE while the kernel runs. */
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_GS: {
		uint64_t gs = rdmsr(MSR_KERNEL_GS_BASE);
		return copy_to_user((void *)addr, &gs, sizeof gs) ? -EFAULT : 0;
	}
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV; /* no CPUID faulting: Linux's answer on CPUs without it */
	default:
		return -EINVAL;
	}
}

long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *new_limit, struct rlimit64 *old_limit)
{
	if (resource >= NRLIMITS)
		return -EINVAL;
	struct process *p = process_named(pid);
	if (!p || p->state == PROCESS_REAPED)
		return -ESRCH;
	if (!kill_permitted(p, 0))
		return -EPERM;
	struct rlimit64 *slot = &p->rlimits[resource];
	struct rlimit64 wanted;
	if (new_limit) {
		if (copy_from_user(&wanted, new_limit, sizeof wanted))
			return -EFAULT;
		if (wanted.rlim_cur > wanted.rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && wanted.rlim_max > FD_MAX) /* /proc/sys/fs/nr_open */
			return -EPERM;
		if (wanted.rlim_max > slot->rlim_max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (old_limit && copy_to_user(old_limit, slot, sizeof *slot))
		return -EFAULT;
	if (new_limit)
		*slot = wanted;
	if (new_limit && resource == RLIMIT_CPU)
		sched_timers_changed(); /* the CPU limit may now come first */
	return 0;
}

long sys_getrlimit(unsigned resource, struct rlimit64 *rlim) { return sys_prlimit64(0, resource, NULL, rlim); }
long sys_setrlimit(unsigned resource, const struct rlimit64 *rlim) { return sys_prlimit64(0, resource, rlim, NULL); }

static long get_int_option(int value, unsigned long user_ptr)
{
	return copy_to_user((void *)user_ptr, &value, sizeof value) ? -EFAULT : 0;
}

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	long result;
	if (capabilities_prctl(option, arg2, arg3, arg4, arg5, &result))
		return result;
	struct process *p = current_process();
	char *comm = current_thread()->comm;
	switch (option) {
	case PR_SET_NAME: {
		char name[16];
		long n = strncpy_from_user(name, (const char *)arg2, sizeof name);
		if (n == -EFAULT)
			return -EFAULT;
		name[sizeof name - 1] = 0;
		memcpy(comm, name, sizeof name);
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user((void *)arg2, comm, 16) ? -EFAULT : 0;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		p->dumpable = (int)arg2;
		return 0;
	case PR_GET_DUMPABLE:
		return p->dumpable;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		p->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return arg2 || arg3 || arg4 || arg5 ? -EINVAL : p->no_new_privs;
	case PR_SET_PDEATHSIG:
		if (arg2 > 64)
			return -EINVAL;
		p->parent_death_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return get_int_option(p->parent_death_signal, arg2);
	case PR_SET_CHILD_SUBREAPER:
		p->child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return get_int_option(p->child_subreaper, arg2);
	case PR_SET_TIMERSLACK: {
		struct thread *t = current_thread();
		t->timer_slack_ns = (long)arg2 <= 0 ? t->default_timer_slack_ns : arg2;
		return 0;
	}
	case PR_GET_TIMERSLACK:
		return (long)current_thread()->timer_slack_ns;
	case PR_GET_SECCOMP:
		return current_thread()->seccomp_mode;
	case PR_SET_SECCOMP:
		if (arg2 == SECCOMP_MODE_STRICT)
			return seccomp_set_strict();
		if (arg2 == SECCOMP_MODE_FILTER)
			return seccomp_set_filter(0, (const struct sock_fprog *)arg3);
		return -EINVAL;
	default:
		return -EINVAL;
	}
}
