/* /proc: a folder per process (/proc/PID, zombies included) with the files
 * glibc, Python, ps and jemalloc read, in Linux's formats, and /proc/self
 * naming the caller's. Files are generated at open from the process their
 * folder names; /proc's folders are brought up to date on every lookup. */
#include <linux/fcntl.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/boot_config.h"
#include "kernel/errno.h"
#include "kernel/fs/cpuinfo.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_types.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/synthetic_tree.h"
#include "kernel/fs/sysctl.h"
#include "kernel/fs/vfs.h"
#include "kernel/ipc/sysvipc_proc.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/proc/coredump.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"
#include "kernel/security/seccomp.h"
#include "kernel/strbuf.h"
#include "kernel/time.h"
#include "kernel/tty/tty.h"
#include "kernel/uts.h"
#include "libc-glue/kformat.h"

#define CLOCK_TICKS_PER_SEC 100

/* Returns the link, which dir holds, or NULL. */
static struct inode *make_link(struct inode *dir, const char *name, const char *target)
{
	struct inode *link = inode_new(S_IFLNK | 0777);
	if (!link)
		return NULL;
	link->link_target = kstrdup(target);
	link->size = strlen(target);
	bool linked = link->link_target && !dir_link(dir, name, strlen(name), link);
	if (!linked)
		link->size = 0;
	inode_put(link);
	return linked ? link : NULL;
}

/* Points a link at target, leaving it alone when it already does: a
 * lookup that refreshes its folder may be following that very link. */
static void update_link(struct inode *dir, const char *name, const char *target)
{
	struct inode *old = dir_lookup(dir, name, strlen(name));
	if (old && S_ISLNK(old->mode) && old->link_target && !strcmp(old->link_target, target))
		return;
	dir_unlink(dir, name, strlen(name));
	make_link(dir, name, target);
}

static void gen_sysvipc_shm(const struct inode *ino, struct strbuf *out) { (void)ino, sysvipc_shm_show(out); }
static void gen_sysvipc_sem(const struct inode *ino, struct strbuf *out) { (void)ino, sysvipc_sem_show(out); }
static void gen_sysvipc_msg(const struct inode *ino, struct strbuf *out) { (void)ino, sysvipc_msg_show(out); }

/* A /proc file that root may write (mode 0644) when store is given; data is
 * what generate and store find in file.proc_data. */
static void make_writable_file(struct inode *dir, const char *name, generator generate,
                               int (*store)(const struct inode *ino, const char *text), const void *data)
{
	synthetic_file(dir, name, generate);
	struct inode *file = dir_lookup(dir, name, strlen(name));
	if (!file)
		return;
	file->file.proc_data = data;
	if (store) {
		file->file.store = store;
		file->mode = S_IFREG | 0644;
	}
}

static void gen_sysctl(const struct inode *ino, struct strbuf *out) { sysctl_format(ino->file.proc_data, out); }
static int store_sysctl(const struct inode *ino, const char *text) { return sysctl_store(ino->file.proc_data, text); }

/* The file of a tunable at its path under /proc/sys (folders made on the
 * way), writable by root unless the tunable is read-only. */
static void make_sysctl_file(struct inode *sys, const struct sysctl *s)
{
	struct inode *dir = sys;
	const char *name = s->path;
	for (const char *slash; dir && (slash = strchr(name, '/')); name = slash + 1) {
		char part[32];
		size_t n = (size_t)(slash - name) < sizeof part - 1 ? (size_t)(slash - name) : sizeof part - 1;
		memcpy(part, name, n);
		part[n] = 0;
		dir = synthetic_dir(dir, part, 0555);
	}
	if (!dir)
		return;
	make_writable_file(dir, name, gen_sysctl, s->read_only ? NULL : store_sysctl, s);
}

/* The process a /proc/PID file or folder describes; NULL once it is gone.
 * A zombie has no memory, files or cwd left: its files come out empty. */
static struct process *described(int pid)
{
	struct process *p = process_by_pid(pid);
	return p && p->state != PROCESS_REAPED ? p : NULL;
}

static struct process *live(const struct inode *ino)
{
	struct process *p = described(ino->file.proc_pid);
	return p && p->as ? p : NULL;
}

/* Copies [start, end) of p's memory, as Linux's cmdline and environ do. */
static void append_user_range(struct strbuf *out, struct process *p, uint64_t start, uint64_t end)
{
	char chunk[256];
	for (uint64_t at = start; at < end;) {
		size_t n = end - at < sizeof chunk ? end - at : sizeof chunk;
		if (as_read(p->as, at, chunk, n))
			return;
		strbuf_append(out, chunk, n);
		at += n;
	}
}

static void gen_cmdline(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	if (p)
		append_user_range(out, p, p->arg_start, p->arg_end);
}

static void gen_environ(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	if (p)
		append_user_range(out, p, p->env_start, p->env_end);
}

static void gen_auxv(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	if (p)
		strbuf_append(out, p->auxv, p->auxv_words * sizeof(uint64_t));
}

static const char *comm_of(const struct process *p)
{
	if (p->threads && p->threads->comm[0])
		return p->threads->comm;
	const char *slash = strrchr(p->exe_path, '/');
	return slash ? slash + 1 : p->exe_path;
}

/* The thread a /proc/PID/task/TID file describes, or NULL for the
 * process's own files (and for a thread that has gone). */
static const struct thread *described_thread(const struct inode *ino, const struct process *p)
{
	const struct thread *t = ino->file.proc_tid ? thread_by_tid(ino->file.proc_tid) : NULL;
	return t && t->proc == p && t->state != THREAD_DEAD ? t : NULL;
}

static const char *thread_comm(const struct process *p, const struct thread *t)
{
	return t && t->comm[0] ? t->comm : comm_of(p);
}

static void gen_comm(const struct inode *ino, struct strbuf *out)
{
	struct process *p = described(ino->file.proc_pid);
	if (p)
		strbuf_printf(out, "%.15s\n", thread_comm(p, described_thread(ino, p)));
}

/* A line of /proc/PID/maps, which also heads each area in smaps. */
static void append_map_line(struct strbuf *out, const struct vma *v)
{
	int start = (int)out->len;
	strbuf_printf(out, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", (unsigned long)v->start, (unsigned long)v->end,
	              v->prot & VMA_READ ? 'r' : '-', v->prot & VMA_WRITE ? 'w' : '-', v->prot & VMA_EXEC ? 'x' : '-',
	              v->flags & VMA_SHARED ? 's' : 'p', (unsigned long)(v->file ? v->file_offset : 0), 0,
	              v->file ? 1 : 0, (unsigned long)(v->file ? v->file->ino : 0));
	if (v->name) {
		int used = (int)out->len - start;
		strbuf_printf(out, "%*s%s", used < 73 ? 73 - used : 1, "", v->name);
	}
	strbuf_append(out, "\n", 1);
}

static void gen_maps(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	for (const struct vma *v = p ? p->as->vmas.head : NULL; v; v = v->next)
		append_map_line(out, v);
}

/* What smaps and smaps_rollup count, in bytes. */
struct smaps_counts {
	size_t rss, pss, pss_anon, pss_file, shared, private_clean, private_dirty, anonymous, locked;
};

static void count_area(struct process *p, const struct vma *v, struct smaps_counts *c)
{
	struct area_pages n = as_area_pages(p->as, v);
	bool anon = !(v->flags & VMA_SHARED); /* a private area's own pages */
	c->rss += n.resident;
	c->pss += n.proportional;
	c->shared += n.shared;
	c->private_clean += n.borrowed;
	c->private_dirty += n.resident - n.shared - n.borrowed;
	if (anon) {
		c->anonymous += n.resident - n.borrowed;
		c->pss_anon += n.proportional;
	} else {
		c->pss_file += n.proportional;
	}
	if (v->flags & VMA_LOCKED)
		c->locked += n.proportional;
}

static void append_kib(struct strbuf *out, const char *field, size_t bytes)
{
	strbuf_printf(out, "%-16s%8zu kB\n", field, bytes / 1024);
}

/* The counts both files give, in Linux's order. */
static void append_counts(struct strbuf *out, const struct smaps_counts *c, bool rollup)
{
	append_kib(out, "Rss:", c->rss);
	append_kib(out, "Pss:", c->pss);
	append_kib(out, "Pss_Dirty:", c->pss - c->private_clean);
	if (rollup) {
		append_kib(out, "Pss_Anon:", c->pss_anon);
		append_kib(out, "Pss_File:", c->pss_file);
		append_kib(out, "Pss_Shmem:", 0);
	}
	append_kib(out, "Shared_Clean:", 0);
	append_kib(out, "Shared_Dirty:", c->shared);
	append_kib(out, "Private_Clean:", c->private_clean);
	append_kib(out, "Private_Dirty:", c->private_dirty);
	append_kib(out, "Referenced:", c->rss);
	append_kib(out, "Anonymous:", c->anonymous);
	static const char *const none[] = {"KSM:",           "LazyFree:",       "AnonHugePages:",   "ShmemPmdMapped:",
	                                   "FilePmdMapped:", "Shared_Hugetlb:", "Private_Hugetlb:", "Swap:",
	                                   "SwapPss:"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		append_kib(out, none[i], 0);
	append_kib(out, "Locked:", c->locked);
}

static void gen_smaps(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	for (const struct vma *v = p ? p->as->vmas.head : NULL; v; v = v->next) {
		struct smaps_counts c = {0};
		count_area(p, v, &c);
		append_map_line(out, v);
		append_kib(out, "Size:", v->end - v->start);
		append_kib(out, "KernelPageSize:", PAGE_SIZE);
		append_kib(out, "MMUPageSize:", PAGE_SIZE);
		append_counts(out, &c, false);
		strbuf_printf(out, "THPeligible:    0\nVmFlags: ");
		const struct {
			bool set;
			const char *mnemonic;
		} flags[] = {{v->prot & VMA_READ, "rd"},
		             {v->prot & VMA_WRITE, "wr"},
		             {v->prot & VMA_EXEC, "ex"},
		             {v->flags & VMA_SHARED, "sh"},
		             {true, "mr"},
		             {true, "mw"},
		             {true, "me"},
		             {v->flags & VMA_SHARED, "ms"},
		             {v->flags & VMA_GROWSDOWN, "gd"},
		             {v->flags & VMA_LOCKED, "lo"},
		             {v->flags & VMA_DONTFORK, "dc"},
		             {v->flags & VMA_WIPEONFORK, "wf"}};
		for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
			if (flags[i].set)
				strbuf_printf(out, "%s ", flags[i].mnemonic);
		strbuf_append(out, "\n", 1);
	}
}

/* smaps summed over the areas, under a line spanning them all. */
static void gen_smaps_rollup(const struct inode *ino, struct strbuf *out)
{
	struct process *p = live(ino);
	const struct vma *first = p ? p->as->vmas.head : NULL;
	if (!first)
		return;
	struct smaps_counts c = {0};
	const struct vma *last = first;
	for (const struct vma *v = first; v; v = v->next) {
		count_area(p, v, &c);
		last = v;
	}
	int start = (int)out->len;
	strbuf_printf(out, "%08lx-%08lx ---p 00000000 00:00 0 ", (unsigned long)first->start, (unsigned long)last->end);
	int used = (int)out->len - start;
	strbuf_printf(out, "%*s[rollup]\n", used < 73 ? 73 - used : 1, "");
	append_counts(out, &c, true);
}

static size_t mapped_kib(const struct process *p)
{
	size_t bytes = 0;
	for (const struct vma *v = p && p->as ? p->as->vmas.head : NULL; v; v = v->next)
		bytes += v->end - v->start;
	return bytes / 1024;
}

static size_t locked_kib(const struct process *p)
{
	return p->as ? as_locked_bytes(p->as, 0, USER_TOP) / 1024 : 0;
}

static size_t used_kib(void) { return (page_total_count() - page_free_count()) * (PAGE_SIZE / 1024); }

static bool thread_runs(const struct thread *t) { return t->state == THREAD_RUNNING || t->state == THREAD_READY; }

/* ps's letter: T for a stopped process, Z for a zombie, else R or S. As in
 * Linux, a process's letter is its main thread's (LTP's futex tests wait for
 * the main thread's S while another thread runs); once the main thread has
 * exited, it is R while any thread runs. */
static char state_letter(const struct process *p)
{
	if (p->state != PROCESS_ALIVE && !p->live_threads)
		return 'Z';
	if (p->stopped)
		return 'T';
	for (const struct thread *t = p->threads; t; t = t->next_in_process)
		if (t->tid == p->pid && t->state != THREAD_DEAD)
			return thread_runs(t) ? 'R' : 'S';
	for (const struct thread *t = p->threads; t; t = t->next_in_process)
		if (thread_runs(t))
			return 'R';
	return 'S';
}

/* A thread's own letter, for /proc/PID/task/TID. */
static char thread_state_letter(const struct process *p, const struct thread *t)
{
	return p->stopped ? 'T' : thread_runs(t) ? 'R' : 'S';
}

static const char *state_name(char letter)
{
	return letter == 'Z'   ? "Z (zombie)"
	       : letter == 'T' ? "T (stopped)"
	       : letter == 'S' ? "S (sleeping)"
	                       : "R (running)";
}

/* The signals whose action is SIG_IGN (SigIgn), or a handler (SigCgt), as
 * masks with bit sig-1 set. */
static uint64_t signals_with_action(const struct process *p, bool handled)
{
	uint64_t set = 0;
	for (int sig = 1; p->sighand && sig <= NSIG; sig++) {
		uint64_t handler = p->sighand->action[sig - 1].handler;
		if (handled ? handler != SIG_DFL && handler != SIG_IGN : handler == SIG_IGN)
			set |= signal_bit(sig);
	}
	return set;
}

static void gen_status(const struct inode *ino, struct strbuf *out)
{
	struct process *p = described(ino->file.proc_pid);
	if (!p)
		return;
	const struct thread *task = described_thread(ino, p);
	const struct thread *t = task ? task : p->threads;
	strbuf_printf(out,
	              "Name:\t%.15s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
	              "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
	              thread_comm(p, task), p->fs ? p->fs->umask : 0,
	              state_name(task ? thread_state_letter(p, task) : state_letter(p)), p->pid, task ? task->tid : p->pid,
	              process_ppid(p), p->cred.ruid, p->cred.euid, p->cred.suid, p->cred.fsuid, p->cred.rgid,
	              p->cred.egid, p->cred.sgid, p->cred.fsgid, FD_MAX);
	for (int i = 0; i < p->cred.group_count; i++)
		strbuf_printf(out, "%u ", p->cred.groups[i]);
	strbuf_printf(out, "\n");
	strbuf_printf(out,
	              "VmPeak:\t%8zu kB\nVmSize:\t%8zu kB\nVmLck:\t%8zu kB\nVmPin:\t       0 kB\nVmHWM:\t%8zu kB\n"
	              "VmRSS:\t%8zu kB\nThreads:\t%d\nSigQ:\t0/%llu\nSigPnd:\t%016llx\n"
	              "ShdPnd:\t%016llx\nSigBlk:\t%016llx\nSigIgn:\t%016llx\n"
	              "SigCgt:\t%016llx\nCapInh:\t%016llx\nCapPrm:\t%016llx\n"
	              "CapEff:\t%016llx\nCapBnd:\t%016llx\nCapAmb:\t%016llx\n"
	              "NoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%d\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n"
	              "Mems_allowed:\t1\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
	              "nonvoluntary_ctxt_switches:\t0\n",
	              mapped_kib(p), mapped_kib(p), locked_kib(p), used_kib(), used_kib(), p->live_threads,
	              (unsigned long long)p->rlimits[RLIMIT_SIGPENDING].rlim_cur,
	              (unsigned long long)(t ? t->signals.pending.set : 0), (unsigned long long)p->shared_pending.set,
	              (unsigned long long)(t ? t->signal_mask : 0), (unsigned long long)signals_with_action(p, false),
	              (unsigned long long)signals_with_action(p, true), (unsigned long long)p->cred.caps.inheritable,
	              (unsigned long long)p->cred.caps.permitted, (unsigned long long)p->cred.caps.effective,
	              (unsigned long long)p->cred.caps.bounding, (unsigned long long)p->cred.caps.ambient,
	              p->no_new_privs, t ? t->seccomp_mode : 0,
	              t ? seccomp_filter_count(t) : 0);
}

static uint64_t ticks(uint64_t ns) { return ns / (1000000000ull / CLOCK_TICKS_PER_SEC); }

static void gen_stat(const struct inode *ino, struct strbuf *out)
{
	struct process *p = described(ino->file.proc_pid);
	if (!p)
		return;
	const struct thread *task = described_thread(ino, p);
	struct cpu_times self = task ? cputime_thread(task) : cputime_process(p);
	const struct tty *tty = tty_of_session(p->sid); /* its controlling terminal */
	const struct thread *shown = task ? task : p->threads; /* whose CPU the processor field gives */
	strbuf_printf(out, "%d (%.15s) %c %d %d %d %u %d 4194560 0 0 0 0 %llu %llu %llu %llu 20 0 %d 0 %llu %zu %zu %llu ",
	              task ? task->tid : p->pid, thread_comm(p, task), task ? thread_state_letter(p, task) : state_letter(p),
	              process_ppid(p), p->pgid, p->sid, tty ? tty->rdev : 0, tty ? tty->pgrp : -1,
	              (unsigned long long)ticks(self.user_ns), (unsigned long long)ticks(self.system_ns),
	              (unsigned long long)ticks(p->children_cpu.user_ns), (unsigned long long)ticks(p->children_cpu.system_ns),
	              p->live_threads, (unsigned long long)ticks(p->start_ns), mapped_kib(p) * 1024,
	              used_kib() * 1024 / PAGE_SIZE, (unsigned long long)p->rlimits[RLIMIT_RSS].rlim_cur);
	uint64_t brk_start = p->as ? p->as->brk_start : 0, brk_end = p->as ? p->as->brk_end : 0;
	strbuf_printf(out, "0 0 %llu 0 0 0 0 0 0 0 0 0 %d %d 0 0 0 0 0 %llu %llu %llu %llu %llu %llu %d\n",
	              (unsigned long long)p->arg_start, p->exit_signal, shown ? shown->last_cpu : 0,
	              (unsigned long long)brk_start,
	              (unsigned long long)brk_end, (unsigned long long)p->arg_start, (unsigned long long)p->arg_end,
	              (unsigned long long)p->env_start, (unsigned long long)p->env_end,
	              p->state == PROCESS_ALIVE ? 0 : p->wait_status);
}

static void gen_statm(const struct inode *ino, struct strbuf *out)
{
	struct process *p = described(ino->file.proc_pid);
	if (p)
		strbuf_printf(out, "%zu %zu 0 0 0 0 0\n", mapped_kib(p) / 4, used_kib() / 4);
}

static void gen_meminfo(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	size_t total = page_total_count() * (PAGE_SIZE / 1024), free = page_free_count() * (PAGE_SIZE / 1024);
	strbuf_printf(out,
	              "MemTotal:       %8zu kB\nMemFree:        %8zu kB\nMemAvailable:   %8zu kB\n"
	              "Buffers:               0 kB\nCached:                0 kB\nSwapCached:            0 kB\n"
	              "Active:         %8zu kB\nInactive:              0 kB\nSwapTotal:             0 kB\n"
	              "SwapFree:              0 kB\nDirty:                 0 kB\nWriteback:             0 kB\n"
	              "AnonPages:      %8zu kB\nMapped:                0 kB\nShmem:                 0 kB\n"
	              "CommitLimit:    %8zu kB\nCommitted_AS:   %8zu kB\nHugePages_Total:       0\n"
	              "HugePages_Free:        0\nHugepagesize:       2048 kB\n",
	              total, free, free, total - free, total - free, total, mapped_kib(current_process()));
}

/* Each CPU's time since boot, as busy (counted as user) and idle; the
 * first line sums them. */
static void gen_proc_stat(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	uint64_t up = ticks(time_monotonic_ns()), busy[MAX_CPUS], idle[MAX_CPUS], all_busy = 0, all_idle = 0;
	for (int i = 0; i < cpu_count; i++) {
		uint64_t since = cpus[i]->idle_since;
		idle[i] = ticks(time_tsc_to_ns(cpus[i]->idle_tsc + (since ? rdtsc() - since : 0)));
		busy[i] = up > idle[i] ? up - idle[i] : 0;
		all_busy += busy[i];
		all_idle += idle[i];
	}
	strbuf_printf(out, "cpu  %llu 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)all_busy, (unsigned long long)all_idle);
	for (int i = 0; i < cpu_count; i++)
		strbuf_printf(out, "cpu%d %llu 0 0 %llu 0 0 0 0 0 0\n", i, (unsigned long long)busy[i],
		              (unsigned long long)idle[i]);
	uint64_t boot = (time_realtime_ns() - time_monotonic_ns()) / 1000000000ull;
	strbuf_printf(out,
	              "intr 0\nctxt 0\nbtime %llu\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n"
	              "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
	              (unsigned long long)boot, process_count());
}

static void gen_uptime(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	uint64_t ns = time_monotonic_ns();
	strbuf_printf(out, "%llu.%02llu 0.00\n", (unsigned long long)(ns / 1000000000ull),
	              (unsigned long long)(ns / 10000000ull % 100));
}

/* Files that describe the machine, not a process: ino is not used. The
 * limits under /proc/sys are the ones the kernel enforces. */
static void gen_nr_open(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%d\n", FD_MAX);
}
static void gen_inotify_max_queued(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%d\n", INOTIFY_MAX_QUEUED_EVENTS);
}
static void gen_loadavg(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "0.00 0.00 0.00 1/%d %d\n", process_count(), current_process()->pid);
}
static void gen_osrelease(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%s\n", UTS_RELEASE);
}
static void gen_kernel_version(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%s\n", UTS_VERSION);
}
static void gen_ostype(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "Linux\n");
}
static void gen_hostname(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%s\n", uts_hostname());
}
static void gen_domainname(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "%s\n", uts_domainname());
}

/* A write to hostname or domainname: the text up to its first newline, as
 * sethostname and setdomainname take it (CAP_SYS_ADMIN only). */
static int store_uts_name(const struct inode *ino, const char *text)
{
	size_t len = 0; /* not strcspn: musl's reads a stack-protector canary the kernel has not */
	while (text[len] && text[len] != '\n')
		len++;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	(ino->file.proc_data ? uts_set_domainname : uts_set_hostname)(text, len);
	return 0;
}
static void gen_zero(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "0\n");
}
static void gen_filesystems(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	for (int i = 0; i < fs_type_count; i++)
		strbuf_printf(out, "nodev\t%s\n", fs_type_names[i]);
}

static void gen_version(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "Linux version %s (sole) %s\n", UTS_RELEASE, UTS_VERSION);
}
static void gen_mounts(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	strbuf_printf(out, "rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n"
	                   "devtmpfs /dev devtmpfs rw,nosuid 0 0\nmqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec 0 0\n");
}

/* /proc/PID/cwd and exe follow the process's working directory and
 * program. */
/* /proc/PID and its entries belong to the process's effective user and
 * group, as Linux's task_dump_owner gives them: a process that gave up
 * root still reads its own fd folder. */
static void own_process_dir(struct inode *dir, const struct process *p)
{
	dir->uid = p->cred.euid;
	dir->gid = p->cred.egid;
	for (struct dentry *d = dir->dir.children; d; d = d->next) {
		d->inode->uid = p->cred.euid;
		d->inode->gid = p->cred.egid;
	}
}

static void refresh_process_dir(struct inode *dir)
{
	struct process *p = described(dir->dir.proc_pid);
	char path[4096];
	if (p && p->fs && vfs_dir_path(p->fs->root, p->fs->cwd, path, sizeof path) >= 0)
		update_link(dir, "cwd", path);
	if (p) {
		update_link(dir, "exe", p->exe_path);
		own_process_dir(dir, p);
	}
}

static int parse_pid(const char *name);

/* A folder rebuilt at each refresh whose entries are numbers (descriptors,
 * thread ids): each entry's getdents position follows from its number, as
 * on Linux, so that a reader going through it in several calls (and
 * closing descriptors meanwhile, as Python's subprocess does) neither skips
 * nor repeats one. The list is put in that order. */
static void position_by_number(struct inode *dir)
{
	struct dentry *sorted = NULL;
	while (dir->dir.children) {
		struct dentry *d = dir->dir.children;
		dir->dir.children = d->next;
		d->position = 2 + (uint64_t)parse_pid(d->name);
		struct dentry **at = &sorted;
		while (*at && (*at)->position < d->position)
			at = &(*at)->next;
		d->next = *at;
		*at = d;
	}
	dir->dir.children = sorted;
}

/* /proc/PID/fd holds one link per open descriptor, to the path it was opened by. */
static void refresh_fd_dir(struct inode *dir)
{
	while (dir->dir.children)
		dir_unlink(dir, dir->dir.children->name, strlen(dir->dir.children->name));
	struct process *p = described(dir->dir.proc_pid);
	struct fd_table *table = p ? p->files : NULL;
	for (int fd = FD_MAX - 1; table && fd >= 0; fd--) {
		struct file *f = table->files[fd];
		if (!f)
			continue;
		char name[12];
		ksnprintf(name, sizeof name, "%d", fd);
		struct inode *link = make_link(dir, name, f->path ? f->path : "anon_inode:[unknown]");
		if (link && S_ISREG(f->inode->mode)) {
			inode_get(f->inode);
			link->magic_target = f->inode;
		}
	}
	position_by_number(dir);
}

/* /proc/PID/fdinfo/N: the descriptor's offset, its open flags (with
 * O_CLOEXEC when set) and its inode, the first lines Linux shows. */
static void gen_fdinfo(const struct inode *ino, struct strbuf *out)
{
	struct process *p = described(ino->file.proc_pid);
	int fd = ino->file.proc_fd;
	struct file *f = p && p->files ? p->files->files[fd] : NULL;
	if (!f)
		return;
	unsigned flags = file_status_flags(f) | (p->files->cloexec[fd] ? O_CLOEXEC : 0);
	strbuf_printf(out, "pos:\t%llu\nflags:\t0%o\nino:\t%llu\n", (unsigned long long)f->pos, flags,
	              (unsigned long long)f->inode->ino);
}

/* /proc/PID/fdinfo holds one file per open descriptor. */
static void refresh_fdinfo_dir(struct inode *dir)
{
	while (dir->dir.children)
		dir_unlink(dir, dir->dir.children->name, strlen(dir->dir.children->name));
	struct process *p = described(dir->dir.proc_pid);
	struct fd_table *table = p ? p->files : NULL;
	for (int fd = FD_MAX - 1; table && fd >= 0; fd--) {
		if (!table->files[fd])
			continue;
		char name[12];
		ksnprintf(name, sizeof name, "%d", fd);
		synthetic_file(dir, name, gen_fdinfo);
		struct inode *file = dir_lookup(dir, name, strlen(name));
		if (file)
			file->file.proc_fd = fd;
	}
	position_by_number(dir);
}

/* The folder /proc/PID or /proc/PID/task/TID: named by number, about the
 * process pid. */
static struct inode *make_numbered_dir(struct inode *parent, int number, int pid)
{
	char name[12];
	ksnprintf(name, sizeof name, "%d", number);
	struct inode *dir = synthetic_dir(parent, name, 0555);
	if (dir)
		dir->dir.proc_pid = pid;
	return dir;
}

/* /proc/PID/task: a folder per live thread, named by its id, with the
 * comm, stat and status that describe that thread. */
static void refresh_task_dir(struct inode *dir)
{
	while (dir->dir.children)
		dir_unlink(dir, dir->dir.children->name, strlen(dir->dir.children->name));
	struct process *p = described(dir->dir.proc_pid);
	for (const struct thread *t = p ? p->threads : NULL; t; t = t->next_in_process) {
		if (t->state == THREAD_DEAD)
			continue;
		struct inode *task = make_numbered_dir(dir, t->tid, p->pid);
		if (!task)
			continue;
		static const struct {
			const char *name;
			generator generate;
		} files[] = {{"comm", gen_comm}, {"stat", gen_stat}, {"status", gen_status}};
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			synthetic_file(task, files[i].name, files[i].generate);
			struct inode *file = dir_lookup(task, files[i].name, strlen(files[i].name));
			if (file)
				file->file.proc_tid = t->tid;
		}
	}
	position_by_number(dir);
}

static void populate_process(struct inode *proc, const struct process *p)
{
	struct inode *dir = make_numbered_dir(proc, p->pid, p->pid);
	if (!dir)
		return;
	dir->dir.refresh = refresh_process_dir;
	make_link(dir, "root", "/");
	struct inode *fd = synthetic_dir(dir, "fd", 0500);
	if (fd) {
		fd->dir.proc_pid = p->pid;
		fd->dir.refresh = refresh_fd_dir;
	}
	struct inode *fdinfo = synthetic_dir(dir, "fdinfo", 0500);
	if (fdinfo) {
		fdinfo->dir.proc_pid = p->pid;
		fdinfo->dir.refresh = refresh_fdinfo_dir;
	}
	struct inode *task = synthetic_dir(dir, "task", 0555);
	if (task) {
		task->dir.proc_pid = p->pid;
		task->dir.refresh = refresh_task_dir;
	}
	static const struct {
		const char *name;
		generator generate;
	} files[] = {{"cmdline", gen_cmdline}, {"environ", gen_environ}, {"auxv", gen_auxv},
	             {"comm", gen_comm},       {"maps", gen_maps},       {"status", gen_status},
	             {"stat", gen_stat},       {"statm", gen_statm},     {"mounts", gen_mounts},
	             {"smaps", gen_smaps},     {"smaps_rollup", gen_smaps_rollup}};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		synthetic_file(dir, files[i].name, files[i].generate);
}

static bool is_pid_name(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (*name < '0' || *name > '9')
			return false;
	return true;
}

static int parse_pid(const char *name)
{
	int pid = 0;
	for (; *name; name++)
		pid = pid * 10 + (*name - '0');
	return pid;
}

/* A folder for every process and none for processes that are gone;
 * self and thread-self name the caller's. */
static void refresh_proc(struct inode *proc)
{
	if (!this_cpu()->current)
		return; /* still booting: no process yet */
	for (struct dentry *d = proc->dir.children, *next; d; d = next) {
		next = d->next;
		if (is_pid_name(d->name) && !described(parse_pid(d->name)))
			dir_unlink(proc, d->name, strlen(d->name));
	}
	for (struct process *p = process_first(); p; p = process_next(p)) {
		char name[12];
		ksnprintf(name, sizeof name, "%d", p->pid);
		if (p->state != PROCESS_REAPED && !dir_lookup(proc, name, strlen(name)))
			populate_process(proc, p);
	}
	char self[12];
	ksnprintf(self, sizeof self, "%d", current_process()->pid);
	update_link(proc, "self", self);
	update_link(proc, "thread-self", self);
}

void procfs_populate(void)
{
	struct inode *proc = synthetic_dir(vfs_root(), "proc", 0555);
	if (!proc)
		return;
	proc->dir.refresh = refresh_proc;
	synthetic_file(proc, "meminfo", gen_meminfo);
	synthetic_file(proc, "cpuinfo", cpuinfo_generate);
	synthetic_file(proc, "stat", gen_proc_stat);
	synthetic_file(proc, "uptime", gen_uptime);
	synthetic_file(proc, "loadavg", gen_loadavg);
	synthetic_file(proc, "version", gen_version);
	synthetic_file(proc, "filesystems", gen_filesystems);
	make_link(proc, "mounts", "self/mounts");
	struct inode *sys = synthetic_dir(proc, "sys", 0555);
	struct inode *kernel = sys ? synthetic_dir(sys, "kernel", 0555) : NULL;
	struct inode *vm = sys ? synthetic_dir(sys, "vm", 0555) : NULL;
	struct inode *fs = sys ? synthetic_dir(sys, "fs", 0555) : NULL;
	if (kernel) {
		synthetic_file(kernel, "osrelease", gen_osrelease);
		synthetic_file(kernel, "ostype", gen_ostype);
		synthetic_file(kernel, "version", gen_kernel_version);
		make_writable_file(kernel, "hostname", gen_hostname, store_uts_name, NULL);
		make_writable_file(kernel, "domainname", gen_domainname, store_uts_name, "domainname");
		make_writable_file(kernel, "core_pattern", coredump_pattern_show, coredump_pattern_store, NULL);
	}
	if (fs) {
		synthetic_file(fs, "nr_open", gen_nr_open);
		struct inode *inotify = synthetic_dir(fs, "inotify", 0555);
		if (inotify)
			synthetic_file(inotify, "max_queued_events", gen_inotify_max_queued);
	}
	if (vm)
		synthetic_file(vm, "overcommit_memory", gen_zero);
	struct inode *sysvipc = synthetic_dir(proc, "sysvipc", 0555);
	if (sysvipc) {
		synthetic_file(sysvipc, "shm", gen_sysvipc_shm);
		synthetic_file(sysvipc, "sem", gen_sysvipc_sem);
		synthetic_file(sysvipc, "msg", gen_sysvipc_msg);
	}
	for (int i = 0; sys && i < sysctl_count; i++)
		make_sysctl_file(sys, &sysctls[i]);
}
