/* Process and thread lifecycle, see process.h. */
#include "kernel/proc/process.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/sched/kernel_lock.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "kernel/security/seccomp.h"
#include "kernel/time.h"

#define KERNEL_STACK_PAGES 8

static void default_rlimits(struct rlimit64 *r)
{
	const uint64_t inf = ~0ull;
	for (int i = 0; i < NRLIMITS; i++)
		r[i] = (struct rlimit64){.rlim_cur = inf, .rlim_max = inf};
	r[3] = (struct rlimit64){.rlim_cur = USER_STACK_SIZE, .rlim_max = inf};   /* RLIMIT_STACK */
	r[4] = (struct rlimit64){.rlim_cur = 0, .rlim_max = inf};                 /* RLIMIT_CORE */
	r[6] = (struct rlimit64){.rlim_cur = 4096, .rlim_max = 4096};             /* RLIMIT_NPROC */
	r[7] = (struct rlimit64){.rlim_cur = FD_MAX, .rlim_max = FD_MAX};         /* RLIMIT_NOFILE */
	r[8] = (struct rlimit64){.rlim_cur = 8ull << 20, .rlim_max = 8ull << 20}; /* RLIMIT_MEMLOCK */
	r[11] = (struct rlimit64){.rlim_cur = 4096, .rlim_max = 4096};            /* RLIMIT_SIGPENDING */
	r[12] = (struct rlimit64){.rlim_cur = 819200, .rlim_max = 819200};        /* RLIMIT_MSGQUEUE */
	r[13] = (struct rlimit64){.rlim_cur = 0, .rlim_max = 0};                  /* RLIMIT_NICE */
	r[14] = (struct rlimit64){.rlim_cur = 0, .rlim_max = 0};                  /* RLIMIT_RTPRIO */
}

struct thread *thread_create(struct process *p)
{
	int tid = pid_alloc();
	if (tid < 0)
		return NULL;
	struct thread *t = kzalloc(sizeof *t);
	uint64_t stack = page_alloc(KERNEL_STACK_PAGES);
	uint64_t fpu = page_alloc(1);
	if (!t || !stack || !fpu) {
		kfree(t);
		if (stack)
			page_free(stack, KERNEL_STACK_PAGES);
		if (fpu)
			page_free(fpu, 1);
		return NULL;
	}
	t->tid = tid;
	t->proc = p;
	t->timer_slack_ns = t->default_timer_slack_ns = DEFAULT_TIMER_SLACK_NS;
	sched_policy_init(&t->sched);
	t->cpu_mask = ~0ull;
	t->fpu_area = phys_to_virt(fpu);
	t->kernel_stack_base = (uint64_t)phys_to_virt(stack);
	t->kernel_stack_top = t->kernel_stack_base + KERNEL_STACK_PAGES * PAGE_SIZE;
	t->next_in_process = p->threads;
	p->threads = t;
	pid_add_thread(t);
	return t;
}

void thread_start(struct thread *t, struct trap_frame *frame)
{
	t->proc->live_threads++;
	sched_start_thread(t, frame);
}

void thread_first_run(struct trap_frame *frame)
{
	sched_finish_switch();
	struct thread *t = current_thread();
	if (t->set_child_tid) {
		int tid = t->tid;
		copy_to_user((void *)t->set_child_tid, &tid, sizeof tid); /* ignored when bad, as on Linux */
		t->set_child_tid = 0;
	}
	signal_return_to_user(frame); /* a thread killed before it ever ran leaves here */
	cputime_charge_system();
	kernel_unlock();
	trap_return_to(frame);
}

void process_add_child(struct process *parent, struct process *child)
{
	child->parent = parent;
	child->next_sibling = parent->children;
	parent->children = child;
}

void process_remove_child(struct process *child)
{
	for (struct process **at = &child->parent->children; *at; at = &(*at)->next_sibling)
		if (*at == child) {
			*at = child->next_sibling;
			return;
		}
}

void process_release_vfork_parent(struct process *p)
{
	struct thread *waiting = p->vfork_parent;
	if (!waiting)
		return;
	p->vfork_parent = NULL;
	waiting->vfork_waiting = false;
	sched_wake(waiting, WAKE_EVENT);
}

bool process_is_named_by(const struct process *p, int pid)
{
	if (pid == 0 || pid == p->pid)
		return true;
	for (const struct thread *t = p->threads; t; t = t->next_in_process)
		if (t->tid == pid)
			return true;
	return false;
}

int process_ppid(const struct process *p) { return p->parent ? p->parent->pid : 0; }

void thread_free(struct thread *t)
{
	struct process *p = t->proc;
	for (struct thread **at = &p->threads; *at; at = &(*at)->next_in_process)
		if (*at == t) {
			*at = t->next_in_process;
			break;
		}
	pid_remove_thread(t);
	cpu_times_add(&p->dead_threads_cpu, cputime_thread(t));
	signal_thread_exit(t);
	seccomp_thread_free(t);
	page_free(virt_to_phys((void *)t->kernel_stack_base), KERNEL_STACK_PAGES);
	page_free(virt_to_phys(t->fpu_area), 1);
	kfree(t);
	if (!p->threads && p->state == PROCESS_REAPED)
		process_free(p);
}

void process_free(struct process *p)
{
	signal_process_free(p);
	signal_handlers_put(p->sighand);
	kfree(p);
}

struct signal_handlers *signal_handlers_copy(const struct signal_handlers *from)
{
	struct signal_handlers *h = kmalloc(sizeof *h);
	if (!h)
		return NULL;
	*h = *from;
	h->refs = 1;
	return h;
}

void signal_handlers_put(struct signal_handlers *h)
{
	if (h && --h->refs == 0)
		kfree(h);
}

struct fs_context *fs_context_copy(const struct fs_context *from)
{
	struct fs_context *fs = kmalloc(sizeof *fs);
	if (!fs)
		return NULL;
	*fs = *from;
	fs->refs = 1;
	inode_get(fs->root);
	inode_get(fs->cwd);
	return fs;
}

void fs_context_put(struct fs_context *fs)
{
	if (!fs || --fs->refs > 0)
		return;
	inode_put(fs->root);
	inode_put(fs->cwd);
	kfree(fs);
}

struct process *process_create_init(void)
{
	struct process *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->as = addrspace_create();
	p->files = fd_table_new();
	p->sighand = kzalloc(sizeof *p->sighand);
	p->fs = kzalloc(sizeof *p->fs);
	struct thread *t = p->as && p->files && p->sighand && p->fs ? thread_create(p) : NULL;
	if (!t)
		return NULL;
	p->pid = p->pgid = p->sid = t->tid; /* 1: the first id */
	p->exit_signal = SIGCHLD;
	p->live_threads = 1;
	pid_add_process(p);
	p->sighand->refs = 1;
	p->fs->refs = 1;
	p->fs->umask = 022;
	p->fs->root = p->fs->cwd = vfs_root();
	inode_get(p->fs->root);
	inode_get(p->fs->cwd);
	default_rlimits(p->rlimits);
	capabilities_init(&p->cred.caps);
	p->dumpable = 1;
	p->start_ns = time_monotonic_ns();
	return p;
}

void thread_switch_to(struct thread *t)
{
	this_cpu()->current = t;
	percpu_set_kernel_stack(t->kernel_stack_top);
	addrspace_activate(t->proc->as);
	wrmsr(MSR_FS_BASE, t->fs_base);
}
