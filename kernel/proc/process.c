/* Process and thread lifecycle, see process.h. */
#include "kernel/proc/process.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/console.h"
#include "kernel/crash_record.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/proc/exit_report.h"
#include "kernel/time.h"
#include "platforms/platform.h"

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

static int next_tid = 1;

struct thread *thread_create(struct process *p)
{
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
	t->tid = next_tid++;
	t->proc = p;
	t->fpu_area = phys_to_virt(fpu);
	t->kernel_stack_base = (uint64_t)phys_to_virt(stack);
	t->kernel_stack_top = t->kernel_stack_base + KERNEL_STACK_PAGES * PAGE_SIZE;
	t->next_in_process = p->threads;
	p->threads = t;
	return t;
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

void thread_free(struct thread *t)
{
	struct process *p = t->proc;
	for (struct thread **at = &p->threads; *at; at = &(*at)->next_in_process)
		if (*at == t) {
			*at = t->next_in_process;
			break;
		}
	signal_thread_exit(t);
	page_free(virt_to_phys((void *)t->kernel_stack_base), KERNEL_STACK_PAGES);
	page_free(virt_to_phys(t->fpu_area), 1);
	kfree(t);
}

struct process *process_create_init(void)
{
	struct process *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->pid = p->pgid = p->sid = 1;
	p->ppid = 0;
	p->as = addrspace_create();
	p->files = fd_table_new();
	p->sighand = kzalloc(sizeof *p->sighand);
	p->fs = kzalloc(sizeof *p->fs);
	if (!p->as || !p->files || !p->sighand || !p->fs || !thread_create(p))
		return NULL;
	p->sighand->refs = 1;
	p->fs->refs = 1;
	p->fs->umask = 022;
	p->fs->cwd = vfs_root();
	inode_get(p->fs->cwd);
	default_rlimits(p->rlimits);
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

/* What the host hears about at every end of the app, before its status:
 * the reports registered with EXIT_REPORT (kernel/proc/exit_report.h). */
static void report_at_exit(void)
{
	extern const exit_report_fn __exit_reports_start[], __exit_reports_end[];
	for (const exit_report_fn *report = __exit_reports_start; report < __exit_reports_end; report++)
		(*report)();
}

void process_exit(struct process *p, int status)
{
	(void)p;
	report_at_exit();
	console_send_exit(status & 0xff);
	platform_poweroff(0);
}

void process_kill_by_signal(struct process *p, int sig, const struct trap_frame *f, const char *cause,
                            const char *detail, uint64_t addr)
{
	if (f)
		crash_record_user_fault(p, sig, f, cause, detail, addr);
	report_at_exit();
	console_send_exit(128 + sig);
	platform_poweroff(0);
}
