/* Processes and threads. A process owns an address space, a descriptor
 * table, signal dispositions and a file-system context (cwd, umask); its
 * threads share them, and clone's CLONE_VM, CLONE_FILES, CLONE_SIGHAND and
 * CLONE_FS let another process share them too. Each thread has its own
 * kernel stack, TLS base and signal mask. Processes form Linux's tree: a
 * parent, its children, process groups and sessions; a process that ends
 * stays a zombie until its parent reaps it (kernel/proc/exit.c). */
#ifndef SOLE_PROCESS_H
#define SOLE_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/resource.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/proc/credentials.h"
#include "kernel/proc/signal.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/wait.h"

struct addrspace;
struct fd_table;
struct inode;
struct itimers;
struct posix_timer;
struct seccomp_filter;
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
	struct inode *root; /* where "/" is: the tree's root until chroot */
	struct inode *cwd;
	uint32_t umask;
	int refs;
};

#define NRLIMITS RLIM_NLIMITS
#define DEFAULT_TIMER_SLACK_NS 50000 /* Linux's, for the first thread */

enum process_state {
	PROCESS_ALIVE,
	PROCESS_EXITING, /* its threads are dying; the last one out makes it a zombie */
	PROCESS_ZOMBIE,  /* ended, its status kept until the parent reaps it */
	PROCESS_REAPED,  /* reaped: freed once its last thread structure is */
};

struct process {
	int pid, pgid, sid;
	enum process_state state;
	/* The tree: parent is NULL only for pid 1. */
	struct process *parent;
	struct process *children, *next_sibling;
	int exit_signal;      /* sent to the parent at the end: SIGCHLD, or clone's choice */
	int wait_status;      /* as wait4 reports it, once it is exiting */
	bool child_subreaper; /* PR_SET_CHILD_SUBREAPER: orphans below come here */
	bool did_exec;        /* since fork: setpgid may no longer move it */
	/* Job control (kernel/proc/job_control.c): stopped by stop_signal, and
	 * what its parent's wait has yet to hear of. */
	bool stopped;
	int stop_signal;
	bool report_stop, report_continue;
	struct wait_queue child_exit; /* its waiters in wait4/waitid: woken when a child ends */
	int live_threads;
	/* vfork: the parent thread sleeps until this child execs or ends. */
	struct thread *vfork_parent;
	/* exec: the thread that waits for the process's other threads to die. */
	struct thread *exec_waiter;
	/* CPU time of its threads that ended, and of its reaped children. */
	struct cpu_times dead_threads_cpu, children_cpu;
	/* The id tables (kernel/proc/pid.c). */
	struct process *pid_next, *list_next, *list_prev;
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
	bool no_new_privs;
	int dumpable, parent_death_signal;
	unsigned personality; /* personality(2): inherited by fork, kept by exec */
	uint64_t start_ns;
	struct signal_queue shared_pending; /* process-directed signals (kernel/proc/signal.c) */
	struct itimers *itimers;            /* setitimer and alarm (syscalls/itimer.c) */
	struct posix_timer *posix_timers;   /* timer_create (syscalls/posix_timer.c) */
	/* Its keyrings by serial, 0 for none, and request_key's default
	 * destination (kernel/security/keys.c). */
	int32_t process_keyring, session_keyring;
	int reqkey_default;
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
	char comm[16];      /* prctl(PR_SET_NAME) */
	/* PR_SET_TIMERSLACK: how late timers may fire (sole's are never late on
	 * purpose), and the value 0 restores: the creator's at clone. */
	uint64_t timer_slack_ns, default_timer_slack_ns;
	uint64_t rseq_area; /* registered struct rseq, 0 for none (kernel/proc/rseq.c) */
	uint32_t rseq_len, rseq_sig;
	uint32_t rseq_cpu;  /* the CPU its area last showed */
	bool rseq_check; /* preempted or signalled: check for a critical section on the way back */
	struct thread *next_in_process;
	struct thread *tid_next; /* the id table's chain (kernel/proc/pid.c) */
	bool killed;             /* its process is ending or exec'ing: it must not return to the app */
	bool vfork_waiting;      /* in vfork, until the child execs or ends */
	uint64_t set_child_tid;  /* CLONE_CHILD_SETTID: where its first run writes its tid */
	/* CPU time in TSC ticks, user and system (kernel/sched/cputime.c) */
	uint64_t user_ticks, system_ticks;
	struct sched_policy sched; /* policy, priority, nice (kernel/sched/policy.h) */
	/* The scheduler's (kernel/sched): */
	enum thread_state state;
	struct percpu *cpu;        /* the CPU it runs on, or idles on its stack; NULL while switched out */
	int last_cpu;              /* the index of the CPU it ran on last (/proc's processor field) */
	uint64_t cpu_mask;         /* the CPUs it may run on, by index (sched_setaffinity) */
	uint64_t saved_rsp;        /* kernel stack pointer while switched out */
	struct thread *run_next;   /* run queue, or the list of dead threads */
	int run_level;             /* the run queue it waits in while ready */
	struct thread *timer_next; /* blocked threads with a deadline */
	uint64_t wake_at;          /* deadline while blocked (monotonic ns), 0 for none */
	int wake_reason;           /* enum wake_reason */
	bool signal_wakeup;        /* a signal came while it was not blocked */
	void *fpu_area;            /* xsave area while switched out */
	uint64_t gs_base;          /* the app's GS base while switched out */
	int32_t thread_keyring;    /* its keyring's serial, 0 for none (kernel/security/keys.c) */
	/* SECCOMP_MODE_*, and its filters, newest first (kernel/security/seccomp.c). */
	int seccomp_mode;
	struct seccomp_filter *seccomp_filter;
};

static inline struct thread *current_thread(void) { return this_cpu()->current; }
static inline struct process *current_process(void) { return this_cpu()->current->proc; }

/* Creates the first process (pid 1) with one thread, empty address space
 * and descriptor table. NULL when out of memory. */
struct process *process_create_init(void);
/* Makes t the running thread: its kernel stack, address space and TLS. */
void thread_switch_to(struct thread *t);
/* A new thread of p with a fresh id, not yet runnable; NULL when out of
 * memory or ids. */
struct thread *thread_create(struct process *p);
/* Makes a created thread runnable, leaving for the app through frame. */
void thread_start(struct thread *t, struct trap_frame *frame);
/* Where a new thread's first run starts (context_switch.S): its own
 * CLONE_CHILD_SETTID write, then the way to ring 3 every return takes. */
void thread_first_run(struct trap_frame *frame) __attribute__((noreturn));
/* The process tree's links. */
void process_add_child(struct process *parent, struct process *child);
void process_remove_child(struct process *child);
/* vfork's parent may go on: the child p has exec'd or ended. */
void process_release_vfork_parent(struct process *p);
/* Whether pid names the app: 0 (the caller), the process id, or the id of
 * one of its threads, as calls that take "pid 0 or a tid" accept. */
bool process_is_named_by(const struct process *p, int pid);
/* Frees a dead thread's kernel stack, FPU area and structure; with the
 * last thread of a reaped process, the process too. */
void thread_free(struct thread *t);
void process_free(struct process *p);
/* getppid's answer: the parent's pid, 0 for pid 1. */
int process_ppid(const struct process *p);

/* The shareable parts: clone without CLONE_SIGHAND or CLONE_FS copies them
 * (NULL when out of memory); the last reference frees them. */
struct signal_handlers *signal_handlers_copy(const struct signal_handlers *from);
void signal_handlers_put(struct signal_handlers *h);
struct fs_context *fs_context_copy(const struct fs_context *from);
void fs_context_put(struct fs_context *fs);

#endif
