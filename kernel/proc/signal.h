/* Signals: the pending queues, sending to a thread or a process, and what
 * happens on every return to ring 3: a handler's frame, a default action, or
 * the restart of a syscall a signal interrupted (the -ERESTART* values of
 * kernel/errno.h). */
#ifndef SOLE_SIGNAL_H
#define SOLE_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct thread;
struct trap_frame;
struct wait_queue;

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGSYS 31
#define SIGRTMIN 32

#define SIG_DFL 0
#define SIG_IGN 1

#define SA_NOCLDSTOP 0x00000001ull
#define SA_NOCLDWAIT 0x00000002ull
#define SA_SIGINFO 0x00000004ull
#define SA_RESTORER 0x04000000ull
#define SA_ONSTACK 0x08000000ull
#define SA_RESTART 0x10000000ull
#define SA_NODEFER 0x40000000ull
#define SA_RESETHAND 0x80000000ull

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_TKILL (-6)

/* sigevent's sigev_notify values (POSIX timers, mq_notify) */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4

/* sigaltstack's flags */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)

static inline uint64_t signal_bit(int sig) { return 1ull << (sig - 1); }
#define SIGNALS_UNBLOCKABLE (signal_bit(SIGKILL) | signal_bit(SIGSTOP))

/* Linux's siginfo_t: 128 bytes, the union's members at offset 16. */
struct signal_info {
	int32_t signo, errnum, code, pad;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value; /* sigqueue's sigval */
		} sender;
		struct {
			int32_t id;
			int32_t overrun;
			uint64_t value; /* sigevent's sigval */
		} timer;
		struct {
			uint64_t addr;
		} fault;
		struct { /* SIGCHLD */
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t pad;
			int64_t utime, stime;
		} child;
		struct { /* SIGIO or F_SETSIG's signal (kernel/fs/async_signal.c) */
			int64_t band; /* the POLL* events behind si_code */
			int32_t fd;
		} poll;
		struct { /* SIGSYS from a seccomp filter's RET_TRAP */
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		} sigsys;
		uint8_t raw[112];
	};
};
_Static_assert(sizeof(struct signal_info) == 128, "siginfo_t is 128 bytes");

/* Linux's struct sigevent: 64 bytes. */
struct sigevent_abi {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	union {
		int32_t tid;
		uint8_t pad[48];
	};
};

/* Linux's stack_t: an alternate signal stack. */
struct signal_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

/* One pending signal. A timer embeds its own, queued at most once: while
 * queued, later expiries count as overruns, and dequeued() (the timer's)
 * completes the siginfo. Every other entry is allocated by the sender. */
struct queued_signal {
	struct signal_info info;
	struct queued_signal *next;
	bool queued;
	void (*dequeued)(struct queued_signal *q, struct signal_info *info);
};

struct signal_queue {
	uint64_t set; /* bit sig-1 for each signal with an entry (or none: out of memory) */
	struct queued_signal *head;
};

/* How restart_syscall resumes a sleep that a signal interrupted, when no
 * handler ran (-ERESTART_RESTARTBLOCK). */
struct restart_block {
	long (*fn)(struct restart_block *r);
	uint64_t arg[4];
};

/* A thread's share of signal state (besides its mask and alternate stack). */
struct thread_signals {
	struct signal_queue pending; /* sent to this thread */
	uint64_t saved_mask;         /* the mask to restore after sigsuspend & co */
	bool restore_mask;
	uint64_t waiting_for; /* the set rt_sigtimedwait or signalfd blocks on: these wake it */
	struct restart_block restart;
};

/* Queues info->signo for one thread, or for the process (any thread that
 * does not block it takes it). A signal whose default action ends the app
 * ends it at once, as Linux does. 0, or -EAGAIN when a real-time signal
 * cannot be queued. */
int signal_send_thread(struct thread *t, const struct signal_info *info);
int signal_send_process(struct process *p, const struct signal_info *info);
/* A write that nobody will read (a pipe or socket without a reader, a
 * closed stdout on the host): SIGPIPE to the calling thread. Returns -EPIPE. */
long signal_broken_pipe(void);
/* As signal_send_process, for the kernel's own signals sent from an
 * interrupt, a timer or the middle of other work (a terminal's ^C or
 * hangup): when p is the caller's process, it acts on the signal at its
 * return to the app, never at once, so the code that sent it goes on. */
int signal_send_process_later(struct process *p, const struct signal_info *info);
/* For timers: queues their own entry to t (NULL: the process). False when
 * it was still queued, so this expiry is an overrun; also false when the
 * signal is ignored. */
bool signal_send_entry(struct process *p, struct thread *t, struct queued_signal *q);
/* Takes a timer's entry off whatever queue holds it. */
void signal_cancel_entry(struct process *p, struct queued_signal *q);
/* Drops every pending instance of the signals in set, in the process's
 * queue and its threads'. */
void signal_discard(struct process *p, uint64_t set);
/* After rt_sigaction: a signal now ignored loses its pending instances. */
void signal_action_changed(struct process *p, int sig);
/* Frees a dead thread's pending signals; a freed process's. */
void signal_thread_exit(struct thread *t);
void signal_process_free(struct process *p);

/* Woken (EPOLLIN) whenever a signal is queued: signalfd waits on it. */
struct wait_queue *signal_fd_queue(void);

/* Whether t has a signal to act on, or was told to die (thread_kill):
 * blocking code stops waiting and returns an -ERESTART* value. */
bool signal_pending(struct thread *t);
/* Whether sig's default action dumps core (core(5)'s "Core" signals). */
bool signal_dumps_core(int sig);
/* Takes the lowest pending signal in set (private queue first, then the
 * process's) into *info: its number, or 0 when none. */
int signal_dequeue(struct thread *t, uint64_t set, struct signal_info *info);

/* For a sleep that restart_syscall can resume where it stopped: records fn
 * and its arguments, and returns -ERESTART_RESTARTBLOCK. */
long signal_restart_block(long (*fn)(struct restart_block *r), uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/* sigsuspend, ppoll, pselect6, epoll_pwait: mask stays installed until the
 * syscall returns; the caller's mask comes back after the handler that
 * interrupted it (it is saved in the handler's frame), or right then when no
 * handler runs. */
void signal_set_temporary_mask(uint64_t mask);
/* Sets the current thread's mask (SIGKILL and SIGSTOP stay unblocked). */
void signal_set_mask(uint64_t mask);

/* Whether sp lies on t's alternate stack (never while SS_AUTODISARM). */
bool signal_on_altstack(const struct thread *t, uint64_t sp);
/* sigaltstack: reports (old) and changes (ss) t's alternate stack; sp is
 * the app's stack pointer. 0 or -errno. */
int signal_altstack_change(struct thread *t, const struct signal_stack *ss, struct signal_stack *old, uint64_t sp);

/* Linux's force_sig: info->signo for the calling thread even when it
 * blocks or ignores it; then it gets the default action back (and is
 * unblocked), so it cannot be lost. */
void signal_force(const struct signal_info *info);
/* A CPU exception in the app: its handler runs when it has one and the
 * signal is not blocked; otherwise the app ends with a crash record, as
 * Linux force_sig does. */
void signal_deliver_fault(struct trap_frame *f, int sig, int code, uint64_t addr, const char *cause,
                          const char *detail);
/* Every return to ring 3 goes through here, f being the app's registers:
 * work left for the thread (RETURN_TO_USER_HOOK, kernel/proc/hooks.h),
 * rseq aborts, restarting interrupted syscalls, handler frames and default
 * actions. */
void signal_return_to_user(struct trap_frame *f);

#endif
