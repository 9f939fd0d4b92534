/* The end of threads and processes: exit, exit_group and fatal signals;
 * zombies, orphans and reaping. A process's last thread releases what it
 * held (descriptors, memory, timers), hands its children to a new parent
 * and tells its own parent, which reaps it with wait. pid 1 is the app as
 * sole run started it: when it ends, the VM ends with its status and every
 * other process with it, as in a container. */
#include "kernel/proc/exit.h"

#include "kernel/console.h"
#include "kernel/crash_record.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/coredump.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/futex.h"
#include "kernel/sched/futex_pi.h"
#include "kernel/sched/sched.h"
#include "platforms/platform.h"

#include <linux/eventpoll.h>
#include <linux/futex.h>

/* Woken at every process's end: pidfds poll on it. */
static struct wait_queue process_ends;

struct wait_queue *process_end_queue(void) { return &process_ends; }

void vm_end(int host_status)
{
	exit_reports_run();
	console_send_exit(host_status & 0xff);
	platform_poweroff(0);
}

static int host_status_of(int wait_status)
{
	int sig = wait_status & 0x7f;
	return sig ? 128 + sig : (wait_status >> 8) & 0xff;
}

/* Marks p as ending with wait_status and tells its other threads to die:
 * each leaves through thread_exit_killed on its way back to the app. */
static void begin_exit(struct process *p, int wait_status)
{
	p->state = PROCESS_EXITING;
	p->wait_status = wait_status;
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t != current_thread() && t->state != THREAD_DEAD)
			thread_kill(t);
}

void thread_kill(struct thread *t)
{
	t->killed = true;
	sched_wake(t, WAKE_SIGNAL);
}

/* Ends p with wait_status; does not return when p is the caller's. */
static void process_end(struct process *p, int wait_status)
{
	if (p->pid == 1)
		vm_end(host_status_of(wait_status));
	if (p->state == PROCESS_ALIVE)
		begin_exit(p, wait_status);
	if (p == current_process())
		thread_exit_killed();
}

void process_exit(struct process *p, int status)
{
	process_end(p, (status & 0xff) << 8);
	__builtin_unreachable(); /* p is the caller's */
}

#define WAIT_CORE_DUMPED 0x80 /* WCOREDUMP */

/* Linux's do_coredump: the registers of p's threads are taken while they
 * stand still, the others are told to die, and the caller writes the
 * core; the wait status tells whether it did. */
static void dump_core(struct process *p, int sig, const struct trap_frame *f)
{
	struct core_dump *cd = coredump_begin(p, sig, f);
	if (!cd)
		return;
	begin_exit(p, sig);
	if (coredump_write(cd))
		p->wait_status |= WAIT_CORE_DUMPED;
}

void process_kill_by_signal(struct process *p, int sig, const struct trap_frame *f, const char *cause,
                            const char *detail, uint64_t addr)
{
	if (p->pid == 1 && f)
		crash_record_user_fault(p, sig, f, cause, detail, addr);
	else if (f)
		kwarn("process %d (%s) killed by signal %d: %s, %s", p->pid, p->exe_path, sig, cause, detail);
	if (f && p == current_process() && p->state == PROCESS_ALIVE && signal_dumps_core(sig))
		dump_core(p, sig, f);
	process_end(p, sig);
}

void thread_exit(int status)
{
	struct process *p = current_process();
	if (p->live_threads == 1)
		process_exit(p, status);
	thread_exit_killed();
}

void thread_release_futexes(struct thread *t)
{
	futex_exit_robust_list(t);
	t->robust_list = 0;
	futex_exit_pi_states(t);
	struct process *p = t->proc;
	if (t->clear_child_tid && (p->live_threads > 1 || p->as->refs > 1)) {
		int zero = 0;
		if (!copy_to_user((void *)t->clear_child_tid, &zero, sizeof zero))
			futex_wake(t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
	}
	t->clear_child_tid = 0;
}

/* The new parent of an orphan: the nearest living ancestor that is a
 * subreaper (PR_SET_CHILD_SUBREAPER), else pid 1. */
static struct process *new_parent_for(struct process *dying)
{
	for (struct process *a = dying->parent; a; a = a->parent)
		if (a->child_subreaper && a->state == PROCESS_ALIVE)
			return a;
	return process_by_pid(1);
}

static void notify_parent(struct process *p);

static void reparent_children(struct process *p)
{
	struct process *heir = new_parent_for(p);
	while (p->children) {
		struct process *c = p->children;
		p->children = c->next_sibling;
		process_add_child(heir, c);
		/* As Linux: whatever signal clone named for the old parent, the
		 * heir (often pid 1) hears SIGCHLD, so no orphan can slay init. */
		c->exit_signal = SIGCHLD;
		if (c->parent_death_signal && c->state == PROCESS_ALIVE) {
			struct signal_info info = {
			    .signo = c->parent_death_signal, .code = SI_USER, .sender = {.pid = p->pid}};
			signal_send_process(c, &info);
		}
		if (c->state == PROCESS_ZOMBIE)
			notify_parent(c);
	}
}

/* Linux's SIGCHLD codes. */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3

/* Whether the parent asked never to see zombies: SIGCHLD ignored, or
 * SA_NOCLDWAIT. Such children are reaped as they end. */
static bool parent_reaps_at_once(struct process *parent)
{
	const struct k_sigaction *a = &parent->sighand->action[SIGCHLD - 1];
	return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

static void notify_parent(struct process *p)
{
	struct process *parent = p->parent;
	bool reap_now = p->exit_signal == SIGCHLD && parent_reaps_at_once(parent);
	int sig = p->wait_status & 0x7f;
	if (p->exit_signal > 0 && !(reap_now && parent->sighand->action[SIGCHLD - 1].handler == SIG_IGN)) {
		int code = (p->wait_status & WAIT_CORE_DUMPED) ? CLD_DUMPED : sig ? CLD_KILLED : CLD_EXITED;
		struct signal_info info = {.signo = p->exit_signal, .code = code};
		info.child.pid = p->pid;
		info.child.uid = p->cred.ruid;
		info.child.status = sig ? sig : (p->wait_status >> 8) & 0xff;
		signal_send_process(parent, &info);
	}
	wait_wake(&parent->child_exit, __INT_MAX__, ~0u);
	wait_wake(&process_ends, __INT_MAX__, EPOLLIN | EPOLLRDNORM);
	if (reap_now)
		process_reap(p);
}

/* The last thread out: everything the process holds goes, its children
 * find a new parent, and it becomes a zombie for its own parent to reap. */
static void process_finish(struct process *p)
{
	process_exit_hooks_run(p);
	fd_table_put(p->files);
	p->files = NULL;
	fs_context_put(p->fs);
	p->fs = NULL;
	paging_activate(paging_kernel_root()); /* the address space goes while this thread still runs */
	addrspace_put(p->as);
	p->as = NULL;
	process_release_vfork_parent(p);
	reparent_children(p);
	p->state = PROCESS_ZOMBIE;
	notify_parent(p);
}

void thread_exit_killed(void)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	thread_release_futexes(t);
	if (--p->live_threads == 0)
		process_finish(p);
	else if (p->live_threads == 1 && p->exec_waiter)
		sched_wake(p->exec_waiter, WAKE_EVENT);
	sched_exit_current();
}

void process_reap(struct process *p)
{
	struct process *parent = p->parent;
	cpu_times_add(&parent->children_cpu, cputime_process(p));
	cpu_times_add(&parent->children_cpu, p->children_cpu);
	process_remove_child(p);
	pid_remove_process(p);
	/* A dead thread a CPU still idles on is freed later (sched.c); its
	 * id goes now. */
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		pid_remove_thread(t);
	p->state = PROCESS_REAPED;
	if (!p->threads)
		process_free(p);
}
