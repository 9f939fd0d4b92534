/* Processes and threads. A process owns an address space, a descriptor
 * table, signal dispositions and a file-system context (cwd, umask); its
 * threads share them, as clone(CLONE_VM|CLONE_FILES|CLONE_SIGHAND|CLONE_FS)
 * will. Each thread has its own kernel stack, TLS base and signal mask. */
#ifndef SOLE_PROCESS_H
#define SOLE_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/resource.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/proc/signal.h"

struct addrspace;
struct fd_table;
struct inode;
struct itimers;
struct posix_timer;
struct trap_frame;

#define NSIG 64

struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct signal_handlers {
	struct k_sigaction action[NSIG];
	int refs;
};

struct fs_context {
	struct inode *cwd;
	uint32_t umask;
	int refs;
};

#define NRLIMITS RLIM_NLIMITS

#define MAX_GROUPS 64

/* Who the process is: it starts as root, and root may become anyone. */
struct credentials {
	uint32_t ruid, euid, suid, fsuid;
	uint32_t rgid, egid, sgid, fsgid;
	uint32_t groups[MAX_GROUPS];
	int group_count;
};

struct process {
	int pid, ppid, pgid, sid;
	struct credentials cred;
	struct addrspace *as;
	struct fd_table *files;
	struct signal_handlers *sighand;
	struct fs_context *fs;
	struct rlimit64 rlimits[NRLIMITS];
	const char *exe_path;
	struct thread *threads;
	/* Where the initial stack put argv's and envp's strings, and a copy of
	 * the auxv, for /proc/self/{cmdline,environ,auxv}. */
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv[64];
	size_t auxv_words;
	/* prctl settings */
	bool keep_caps, no_new_privs;
	int dumpable, parent_death_signal;
	uint64_t start_ns;
	struct signal_queue shared_pending; /* process-directed signals (kernel/proc/signal.c) */
	struct itimers *itimers;            /* setitimer and alarm (syscalls/itimer.c) */
	struct posix_timer *posix_timers;   /* timer_create (syscalls/posix_timer.c) */
};

enum thread_state { THREAD_RUNNING, THREAD_READY, THREAD_BLOCKED, THREAD_DEAD };

struct thread {
	int tid;
	struct process *proc;
	uint64_t kernel_stack_base, kernel_stack_top;
	uint64_t fs_base;
	uint64_t clear_child_tid;
	uint64_t robust_list;
	uint64_t robust_list_len;
	uint64_t signal_mask;
	struct thread_signals signals; /* pending, sigsuspend's mask, restart (kernel/proc/signal.h) */
	uint64_t altstack_sp, altstack_size;
	uint32_t altstack_flags;
	char comm[16]; /* prctl(PR_SET_NAME) */
	uint64_t rseq_area; /* registered struct rseq, 0 for none (kernel/proc/rseq.c) */
	uint32_t rseq_len, rseq_sig;
	bool rseq_check; /* preempted or signalled: check for a critical section on the way back */
	struct thread *next_in_process;
	/* The scheduler's (kernel/sched): */
	enum thread_state state;
	uint64_t saved_rsp;        /* kernel stack pointer while switched out */
	struct thread *run_next;   /* run queue, or the list of dead threads */
	struct thread *timer_next; /* blocked threads with a deadline */
	uint64_t wake_at;          /* deadline while blocked (monotonic ns), 0 for none */
	int wake_reason;           /* enum wake_reason */
	bool signal_wakeup;        /* a signal came while it was not blocked */
	void *fpu_area;            /* xsave area while switched out */
	uint64_t gs_base;          /* the app's GS base while switched out */
};

static inline struct thread *current_thread(void) { return this_cpu()->current; }
static inline struct process *current_process(void) { return this_cpu()->current->proc; }

/* Creates the first process (pid 1) with one thread, empty address space
 * and descriptor table. NULL when out of memory. */
struct process *process_create_init(void);
/* Makes t the running thread: its kernel stack, address space and TLS. */
void thread_switch_to(struct thread *t);
/* A new thread of p (clone), not yet runnable; NULL when out of memory. */
struct thread *thread_create(struct process *p);
/* Whether pid names the app: 0 (the caller), the process id, or the id of
 * one of its threads, as calls that take "pid 0 or a tid" accept. */
bool process_is_named_by(const struct process *p, int pid);
/* Frees a dead thread's kernel stack, FPU area and structure. */
void thread_free(struct thread *t);
/* Ends the whole process: exit_group. Sends the status and powers off. */
void process_exit(struct process *p, int status) __attribute__((noreturn));
/* Ends the process by a fatal signal, with a crash record first when the
 * signal came from a fault. */
void process_kill_by_signal(struct process *p, int sig, const struct trap_frame *f, const char *cause,
			    const char *detail, uint64_t addr) __attribute__((noreturn));

#endif
