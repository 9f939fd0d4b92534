/* /proc for the one process (pid 1): the files glibc, Python and jemalloc
 * read, in Linux's formats. Files are generated at open; /proc/1 and its
 * fd/ folder are brought up to date on every lookup. */
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/boot_config.h"
#include "kernel/fs/cpuinfo.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/strbuf.h"
#include "kernel/time.h"
#include "kernel/uts.h"
#include "libc-glue/kformat.h"

#define CLOCK_TICKS_PER_SEC 100

static struct inode *make_dir(struct inode *parent, const char *name, uint32_t mode)
{
	struct inode *dir;
	if (!vfs_lookup(parent, name, LOOKUP_DIRECTORY, &dir))
		return dir;
	dir = inode_new(S_IFDIR | mode);
	if (!dir)
		return NULL;
	dir_link(parent, name, strlen(name), dir);
	inode_put(dir);
	return dir;
}

static void make_link(struct inode *dir, const char *name, const char *target)
{
	struct inode *link = inode_new(S_IFLNK | 0777);
	if (!link)
		return;
	link->link_target = kstrdup(target);
	link->size = strlen(target);
	if (!link->link_target || dir_link(dir, name, strlen(name), link))
		link->size = 0;
	inode_put(link);
}

static void replace_link(struct inode *dir, const char *name, const char *target)
{
	dir_unlink(dir, name, strlen(name));
	make_link(dir, name, target);
}

static void make_file(struct inode *dir, const char *name, void (*generate)(struct strbuf *out))
{
	struct inode *file = inode_new(S_IFREG | 0444);
	if (!file)
		return;
	file->file.generate = generate;
	dir_link(dir, name, strlen(name), file);
	inode_put(file);
}

/* Copies [start, end) of the app's memory, as Linux's cmdline and environ do. */
static void append_user_range(struct strbuf *out, uint64_t start, uint64_t end)
{
	char chunk[256];
	for (uint64_t at = start; at < end;) {
		size_t n = end - at < sizeof chunk ? end - at : sizeof chunk;
		if (copy_from_user(chunk, (const void *)at, n))
			return;
		strbuf_append(out, chunk, n);
		at += n;
	}
}

static void gen_cmdline(struct strbuf *out)
{
	append_user_range(out, current_process()->arg_start, current_process()->arg_end);
}

static void gen_environ(struct strbuf *out)
{
	append_user_range(out, current_process()->env_start, current_process()->env_end);
}

static void gen_auxv(struct strbuf *out)
{
	struct process *p = current_process();
	strbuf_append(out, p->auxv, p->auxv_words * sizeof(uint64_t));
}

static const char *comm_of(const struct process *p)
{
	const char *comm = p->threads->comm;
	if (comm[0])
		return comm;
	const char *slash = strrchr(p->exe_path, '/');
	return slash ? slash + 1 : p->exe_path;
}

static void gen_comm(struct strbuf *out) { strbuf_printf(out, "%.15s\n", comm_of(current_process())); }

static void gen_maps(struct strbuf *out)
{
	for (const struct vma *v = current_process()->as->vmas.head; v; v = v->next) {
		int start = (int)out->len;
		strbuf_printf(out, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", (unsigned long)v->start,
		              (unsigned long)v->end, v->prot & VMA_READ ? 'r' : '-', v->prot & VMA_WRITE ? 'w' : '-',
		              v->prot & VMA_EXEC ? 'x' : '-', v->flags & VMA_SHARED ? 's' : 'p',
		              (unsigned long)(v->file ? v->file_offset : 0), 0, v->file ? 1 : 0,
		              (unsigned long)(v->file ? v->file->ino : 0));
		if (v->name) {
			int used = (int)out->len - start;
			strbuf_printf(out, "%*s%s", used < 73 ? 73 - used : 1, "", v->name);
		}
		strbuf_append(out, "\n", 1);
	}
}

static size_t mapped_kib(void)
{
	size_t bytes = 0;
	for (const struct vma *v = current_process()->as->vmas.head; v; v = v->next)
		bytes += v->end - v->start;
	return bytes / 1024;
}

static size_t used_kib(void) { return (page_total_count() - page_free_count()) * (PAGE_SIZE / 1024); }

static void gen_status(struct strbuf *out)
{
	struct process *p = current_process();
	struct thread *t = current_thread();
	strbuf_printf(out,
	              "Name:\t%.15s\nUmask:\t%04o\nState:\tR (running)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
	              "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
	              comm_of(p), p->fs->umask, p->pid, p->pid, p->ppid, p->cred.ruid, p->cred.euid, p->cred.suid,
	              p->cred.fsuid, p->cred.rgid, p->cred.egid, p->cred.sgid, p->cred.fsgid, FD_MAX);
	for (int i = 0; i < p->cred.group_count; i++)
		strbuf_printf(out, "%u ", p->cred.groups[i]);
	strbuf_printf(out, "\n");
	strbuf_printf(out,
	              "VmPeak:\t%8zu kB\nVmSize:\t%8zu kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t%8zu kB\n"
	              "VmRSS:\t%8zu kB\nThreads:\t1\nSigQ:\t0/%llu\nSigPnd:\t0000000000000000\n"
	              "ShdPnd:\t0000000000000000\nSigBlk:\t%016llx\nSigIgn:\t0000000000000000\n"
	              "SigCgt:\t0000000000000000\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
	              "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
	              "NoNewPrivs:\t%d\nSeccomp:\t0\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n"
	              "Mems_allowed:\t1\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
	              "nonvoluntary_ctxt_switches:\t0\n",
	              mapped_kib(), mapped_kib(), used_kib(), used_kib(),
	              (unsigned long long)p->rlimits[RLIMIT_SIGPENDING].rlim_cur, (unsigned long long)t->signal_mask,
	              p->no_new_privs);
}

static uint64_t ticks_since_boot(uint64_t ns) { return ns / (1000000000ull / CLOCK_TICKS_PER_SEC); }

static void gen_stat(struct strbuf *out)
{
	struct process *p = current_process();
	uint64_t cpu = ticks_since_boot(time_monotonic_ns() - p->start_ns);
	strbuf_printf(out, "%d (%.15s) R %d %d %d 0 -1 4194560 0 0 0 0 %llu 0 0 0 20 0 1 0 %llu %zu %zu %llu ", p->pid,
	              comm_of(p), p->ppid, p->pgid, p->sid, (unsigned long long)cpu,
	              (unsigned long long)ticks_since_boot(p->start_ns), mapped_kib() * 1024,
	              used_kib() * 1024 / PAGE_SIZE, (unsigned long long)p->rlimits[RLIMIT_RSS].rlim_cur);
	strbuf_printf(out, "0 0 %llu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 %llu %llu %llu %llu %llu %llu 0\n",
	              (unsigned long long)p->arg_start, (unsigned long long)p->as->brk_start,
	              (unsigned long long)p->as->brk_end, (unsigned long long)p->arg_start,
	              (unsigned long long)p->arg_end, (unsigned long long)p->env_start, (unsigned long long)p->env_end);
}

static void gen_statm(struct strbuf *out)
{
	strbuf_printf(out, "%zu %zu 0 0 0 0 0\n", mapped_kib() / 4, used_kib() / 4);
}

static void gen_meminfo(struct strbuf *out)
{
	size_t total = page_total_count() * (PAGE_SIZE / 1024), free = page_free_count() * (PAGE_SIZE / 1024);
	strbuf_printf(out,
	              "MemTotal:       %8zu kB\nMemFree:        %8zu kB\nMemAvailable:   %8zu kB\n"
	              "Buffers:               0 kB\nCached:                0 kB\nSwapCached:            0 kB\n"
	              "Active:         %8zu kB\nInactive:              0 kB\nSwapTotal:             0 kB\n"
	              "SwapFree:              0 kB\nDirty:                 0 kB\nWriteback:             0 kB\n"
	              "AnonPages:      %8zu kB\nMapped:                0 kB\nShmem:                 0 kB\n"
	              "CommitLimit:    %8zu kB\nCommitted_AS:   %8zu kB\nHugePages_Total:       0\n"
	              "HugePages_Free:        0\nHugepagesize:       2048 kB\n",
	              total, free, free, total - free, total - free, total, mapped_kib());
}

static void gen_proc_stat(struct strbuf *out)
{
	uint64_t busy = ticks_since_boot(time_monotonic_ns());
	uint64_t boot = (time_realtime_ns() - time_monotonic_ns()) / 1000000000ull;
	strbuf_printf(out,
	              "cpu  %llu 0 0 0 0 0 0 0 0 0\ncpu0 %llu 0 0 0 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime %llu\n"
	              "processes 1\nprocs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
	              (unsigned long long)busy, (unsigned long long)busy, (unsigned long long)boot);
}

static void gen_uptime(struct strbuf *out)
{
	uint64_t ns = time_monotonic_ns();
	strbuf_printf(out, "%llu.%02llu 0.00\n", (unsigned long long)(ns / 1000000000ull),
	              (unsigned long long)(ns / 10000000ull % 100));
}

static void gen_loadavg(struct strbuf *out) { strbuf_printf(out, "0.00 0.00 0.00 1/1 1\n"); }
static void gen_osrelease(struct strbuf *out) { strbuf_printf(out, "%s\n", UTS_RELEASE); }
static void gen_ostype(struct strbuf *out) { strbuf_printf(out, "Linux\n"); }
static void gen_hostname(struct strbuf *out) { strbuf_printf(out, "%s\n", uts_hostname()); }
static void gen_zero(struct strbuf *out) { strbuf_printf(out, "0\n"); }
static void gen_version(struct strbuf *out)
{
	strbuf_printf(out, "Linux version %s (sole) %s\n", UTS_RELEASE, UTS_VERSION);
}
static void gen_mounts(struct strbuf *out)
{
	strbuf_printf(out, "rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n"
	                   "devtmpfs /dev devtmpfs rw,nosuid 0 0\n");
}

/* /proc/1/cwd follows the process's working directory. */
static void refresh_process_dir(struct inode *dir)
{
	char path[4096];
	if (!this_cpu()->current)
		return; /* still booting */
	if (vfs_dir_path(current_process()->fs->cwd, path, sizeof path) >= 0)
		replace_link(dir, "cwd", path);
}

/* /proc/1/fd holds one link per open descriptor, to the path it was opened by. */
static void refresh_fd_dir(struct inode *dir)
{
	if (!this_cpu()->current)
		return; /* still booting */
	while (dir->dir.children)
		dir_unlink(dir, dir->dir.children->name, strlen(dir->dir.children->name));
	struct fd_table *table = current_process()->files;
	for (int fd = FD_MAX - 1; fd >= 0; fd--) {
		struct file *f = table->files[fd];
		if (!f)
			continue;
		char name[12];
		ksnprintf(name, sizeof name, "%d", fd);
		make_link(dir, name, f->path ? f->path : "anon_inode:[unknown]");
	}
}

static void populate_process(struct inode *proc, const char *exe_path)
{
	struct inode *pid1 = make_dir(proc, "1", 0555);
	if (!pid1)
		return;
	pid1->dir.refresh = refresh_process_dir;
	make_link(pid1, "exe", exe_path);
	make_link(pid1, "root", "/");
	struct inode *fd = make_dir(pid1, "fd", 0500);
	if (fd)
		fd->dir.refresh = refresh_fd_dir;
	make_file(pid1, "cmdline", gen_cmdline);
	make_file(pid1, "environ", gen_environ);
	make_file(pid1, "auxv", gen_auxv);
	make_file(pid1, "comm", gen_comm);
	make_file(pid1, "maps", gen_maps);
	make_file(pid1, "status", gen_status);
	make_file(pid1, "stat", gen_stat);
	make_file(pid1, "statm", gen_statm);
	make_file(pid1, "mounts", gen_mounts);
	make_link(proc, "self", "1");
	make_link(proc, "thread-self", "1");
}

void procfs_populate(const char *exe_path)
{
	struct inode *proc = make_dir(vfs_root(), "proc", 0555);
	if (!proc)
		return;
	populate_process(proc, exe_path);
	make_file(proc, "meminfo", gen_meminfo);
	make_file(proc, "cpuinfo", cpuinfo_generate);
	make_file(proc, "stat", gen_proc_stat);
	make_file(proc, "uptime", gen_uptime);
	make_file(proc, "loadavg", gen_loadavg);
	make_file(proc, "version", gen_version);
	make_link(proc, "mounts", "self/mounts");
	struct inode *sys = make_dir(proc, "sys", 0555);
	struct inode *kernel = sys ? make_dir(sys, "kernel", 0555) : NULL;
	struct inode *vm = sys ? make_dir(sys, "vm", 0555) : NULL;
	if (kernel) {
		make_file(kernel, "osrelease", gen_osrelease);
		make_file(kernel, "ostype", gen_ostype);
		make_file(kernel, "hostname", gen_hostname);
	}
	if (vm)
		make_file(vm, "overcommit_memory", gen_zero);
}
