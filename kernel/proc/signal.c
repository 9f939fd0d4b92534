/* Signal queues, sending and delivery, see signal.h. As on Linux: a thread
 * takes its own signals first, then its process's; standard signals are
 * pending at most once, real-time ones queue; every return to ring 3 runs
 * what is pending and unblocked, stacking one handler frame per signal. */
#include "kernel/proc/signal.h"

#include <linux/eventpoll.h>

#include "kernel/arch/x86_64/sigframe.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/process.h"
#include "kernel/proc/rseq.h"
#include "kernel/proc/session.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/wait.h"
#include "libc-glue/kformat.h"

#define MINSIGSTKSZ 2048

#define DEFAULT_IGNORED (signal_bit(SIGCHLD) | signal_bit(SIGURG) | signal_bit(SIGWINCH) | signal_bit(SIGCONT))
#define DEFAULT_STOPS (signal_bit(SIGSTOP) | signal_bit(SIGTSTP) | signal_bit(SIGTTIN) | signal_bit(SIGTTOU))
#define DEFAULT_CORE_DUMP                                                                                              \
	(signal_bit(SIGQUIT) | signal_bit(SIGILL) | signal_bit(SIGTRAP) | signal_bit(SIGABRT) | signal_bit(SIGBUS) |   \
	 signal_bit(SIGFPE) | signal_bit(SIGSEGV) | signal_bit(SIGXCPU) | signal_bit(SIGXFSZ) | signal_bit(SIGSYS))
/* Taken before any other pending signal: they come from the thread's own
 * faults (Linux's SYNCHRONOUS_MASK). */
#define SYNCHRONOUS                                                                                                    \
	(signal_bit(SIGSEGV) | signal_bit(SIGBUS) | signal_bit(SIGILL) | signal_bit(SIGTRAP) | signal_bit(SIGFPE) |    \
	 signal_bit(SIGSYS))

static int queued_count; /* allocated entries, against RLIMIT_SIGPENDING */
static struct wait_queue signalfd_readers;

struct wait_queue *signal_fd_queue(void) { return &signalfd_readers; }

static struct k_sigaction *action_of(struct process *p, int sig) { return &p->sighand->action[sig - 1]; }

/* Linux's sig_ignored: discarded at once unless blocked. */
static bool ignored(struct process *p, int sig)
{
	uint64_t handler = action_of(p, sig)->handler;
	return handler == SIG_IGN || (handler == SIG_DFL && (signal_bit(sig) & DEFAULT_IGNORED));
}

bool signal_dumps_core(int sig) { return signal_bit(sig) & DEFAULT_CORE_DUMP; }

static bool fatal_by_default(struct process *p, int sig)
{
	return action_of(p, sig)->handler == SIG_DFL && !(signal_bit(sig) & (DEFAULT_IGNORED | DEFAULT_STOPS));
}

/* Whether t would take sig now: not blocked, or waited for. */
static bool accepts(const struct thread *t, int sig)
{
	return t->state != THREAD_DEAD &&
	       (!(t->signal_mask & signal_bit(sig)) || (t->signals.waiting_for & signal_bit(sig)));
}

static void queue_append(struct signal_queue *q, struct queued_signal *e)
{
	struct queued_signal **at = &q->head;
	while (*at)
		at = &(*at)->next;
	e->next = NULL;
	e->queued = true;
	*at = e;
	q->set |= signal_bit(e->info.signo);
}

static void entry_release(struct queued_signal *e, struct signal_info *info)
{
	e->queued = false;
	if (e->dequeued) {
		e->dequeued(e, info);
		return;
	}
	kfree(e);
	queued_count--;
}

/* Takes sig's oldest entry from q into *info. */
static void queue_take(struct signal_queue *q, int sig, struct signal_info *info)
{
	struct queued_signal *found = NULL;
	bool more = false;
	for (struct queued_signal **at = &q->head; *at;) {
		struct queued_signal *e = *at;
		if (e->info.signo != sig) {
			at = &e->next;
		} else if (!found) {
			found = e;
			*at = e->next;
		} else {
			more = true;
			break;
		}
	}
	if (!more)
		q->set &= ~signal_bit(sig);
	if (!found) { /* sent when no entry could be allocated */
		*info = (struct signal_info){.signo = sig, .code = SI_USER};
		return;
	}
	*info = found->info;
	entry_release(found, info);
}

static bool queue_remove(struct signal_queue *q, struct queued_signal *e)
{
	for (struct queued_signal **at = &q->head; *at; at = &(*at)->next)
		if (*at == e) {
			*at = e->next;
			bool more = false;
			for (struct queued_signal *o = q->head; o; o = o->next)
				more |= o->info.signo == e->info.signo;
			if (!more)
				q->set &= ~signal_bit(e->info.signo);
			e->queued = false;
			return true;
		}
	return false;
}

static void queue_discard(struct signal_queue *q, int sig)
{
	struct signal_info ignored_info;
	while (q->set & signal_bit(sig))
		queue_take(q, sig, &ignored_info);
}

static const char *sender_name(int code)
{
	switch (code) {
	case SI_USER:
		return "kill";
	case SI_TKILL:
		return "tkill or tgkill";
	case SI_QUEUE:
		return "sigqueue";
	case SI_TIMER:
		return "a timer";
	default:
		return "the kernel";
	}
}

/* The default action, for a signal that nothing handles. Returns when it
 * is to ignore it; otherwise ends the app. f: t's registers, recorded for
 * the signals that dump core. */
static void take_default_action(struct thread *t, int sig, const struct signal_info *info)
{
	if (signal_bit(sig) & DEFAULT_IGNORED)
		return;
	if (signal_bit(sig) & DEFAULT_STOPS) {
		/* A terminal's stop signals leave an orphaned group running, as
		 * on Linux: nothing would continue it. */
		if (sig != SIGSTOP && session_group_orphaned(t->proc->pgid))
			return;
		job_stop_current(sig); /* back here once continued */
		return;
	}
	char detail[80];
	ksnprintf(detail, sizeof detail, "sent by the app itself with %s", sender_name(info->code));
	/* A core-dump signal records t's registers, when t is the caller (its
	 * stack is the one the crash record can read). */
	bool recordable = (signal_bit(sig) & DEFAULT_CORE_DUMP) && t == current_thread();
	const struct trap_frame *f = recordable ? syscall_frame(t->kernel_stack_top) : NULL;
	process_kill_by_signal(t->proc, sig, f, "signal", detail, 0);
}

/* Whether t has something to act on other than sig, which was just queued
 * (Linux asks the same before it marks a thread for sig). */
static bool pending_besides(struct thread *t, int sig)
{
	uint64_t pending = (t->signals.pending.set | t->proc->shared_pending.set) & ~signal_bit(sig);
	return t->killed || (pending & (~t->signal_mask | t->signals.waiting_for));
}

/* Linux's complete_signal: the thread that takes a process-directed
 * signal, preferring the main thread, then one with nothing pending. */
static struct thread *pick_thread(struct process *p, int sig)
{
	struct thread *spare = NULL;
	for (struct thread *t = p->threads; t; t = t->next_in_process) {
		if (!accepts(t, sig))
			continue;
		bool free_to_take = t == current_thread() || !pending_besides(t, sig);
		if (free_to_take && t->tid == p->pid)
			return t;
		if (free_to_take && !spare)
			spare = t;
	}
	return spare;
}

/* The thread whose mask decides whether a process-directed signal is
 * ignored: the main one, as Linux checks the task the pid names. */
static struct thread *main_thread(struct process *p)
{
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (t->tid == p->pid && t->state != THREAD_DEAD)
			return t;
	return p->threads;
}

static bool discarded_at_once(struct process *p, struct thread *t, int sig)
{
	struct thread *decides = t ? t : main_thread(p);
	return !(decides && (decides->signal_mask & signal_bit(sig))) && ignored(p, sig);
}

/* Queues sig on t's queue, or the process's (t NULL), with its entry e
 * (NULL: pending without a siginfo); wakes the thread that takes it, or
 * ends the app at once when that is what the signal does. A signal that
 * dumps core is left for the thread to take itself, as Linux's
 * complete_signal does: the core is written from the dying process. */
/* signal_send_process_later is sending: the caller's own process acts on
 * the signal at its return to the app. */
static bool acting_later;

static void enqueue(struct process *p, struct thread *t, int sig, struct queued_signal *e)
{
	struct signal_queue *q = t ? &t->signals.pending : &p->shared_pending;
	if (e)
		queue_append(q, e);
	q->set |= signal_bit(sig);
	wait_wake(&signalfd_readers, __INT_MAX__, EPOLLIN | EPOLLRDNORM);
	if (p->stopped)
		return; /* a stopped process takes it once continued, as on Linux (SIGKILL aside) */
	struct thread *taker = t ? (accepts(t, sig) ? t : NULL) : pick_thread(p, sig);
	if (!taker)
		return;
	if (fatal_by_default(p, sig) && !signal_dumps_core(sig) && !(taker->signals.waiting_for & signal_bit(sig)) &&
	    !(acting_later && p == current_process())) {
		struct signal_info info;
		queue_take(q, sig, &info);
		take_default_action(taker, sig, &info);
	}
	sched_wake(taker, WAKE_SIGNAL);
}

static int send(struct process *p, struct thread *t, const struct signal_info *info)
{
	int sig = info->signo;
	if (p->state != PROCESS_ALIVE)
		return 0; /* ending or a zombie: nothing takes it */
	if (sig == SIGCONT)
		job_continue(p); /* at sending, whatever the handler, as on Linux */
	else if (signal_bit(sig) & DEFAULT_STOPS)
		job_stop_sent(p);
	if (sig == SIGKILL) {
		process_kill_by_signal(p, SIGKILL, NULL, "signal", "sent by the app itself", 0);
		return 0;
	}
	if (discarded_at_once(p, t, sig))
		return 0;
	struct signal_queue *q = t ? &t->signals.pending : &p->shared_pending;
	if (sig < SIGRTMIN && (q->set & signal_bit(sig)))
		return 0; /* a standard signal is pending once */
	struct queued_signal *e = NULL;
	if (queued_count < (int)p->rlimits[RLIMIT_SIGPENDING].rlim_cur)
		e = kzalloc(sizeof *e);
	if (e) {
		queued_count++;
		e->info = *info;
	} else if (sig >= SIGRTMIN && info->code != SI_USER) {
		return -EAGAIN;
	}
	enqueue(p, t, sig, e);
	return 0;
}

int signal_send_thread(struct thread *t, const struct signal_info *info) { return send(t->proc, t, info); }

long signal_broken_pipe(void)
{
	struct signal_info info = {.signo = SIGPIPE, .code = SI_USER};
	info.sender.pid = current_process()->pid;
	signal_send_thread(current_thread(), &info);
	return -EPIPE;
}

int signal_send_process(struct process *p, const struct signal_info *info) { return send(p, NULL, info); }

int signal_send_process_later(struct process *p, const struct signal_info *info)
{
	acting_later = true;
	int err = send(p, NULL, info);
	acting_later = false;
	return err;
}

bool signal_send_entry(struct process *p, struct thread *t, struct queued_signal *q)
{
	if (q->queued || discarded_at_once(p, t, q->info.signo))
		return false;
	enqueue(p, t, q->info.signo, q);
	return true;
}

void signal_cancel_entry(struct process *p, struct queued_signal *q)
{
	if (!q->queued || queue_remove(&p->shared_pending, q))
		return;
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		if (queue_remove(&t->signals.pending, q))
			return;
}

void signal_discard(struct process *p, uint64_t set)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		if (!(set & signal_bit(sig)))
			continue;
		queue_discard(&p->shared_pending, sig);
		for (struct thread *t = p->threads; t; t = t->next_in_process)
			queue_discard(&t->signals.pending, sig);
	}
}

void signal_action_changed(struct process *p, int sig)
{
	if (ignored(p, sig))
		signal_discard(p, signal_bit(sig));
}

static void queue_flush(struct signal_queue *q)
{
	while (q->head) {
		struct queued_signal *e = q->head;
		q->head = e->next;
		entry_release(e, NULL);
	}
	q->set = 0;
}

void signal_thread_exit(struct thread *t) { queue_flush(&t->signals.pending); }
void signal_process_free(struct process *p) { queue_flush(&p->shared_pending); }

bool signal_pending(struct thread *t)
{
	uint64_t pending = t->signals.pending.set | t->proc->shared_pending.set;
	return t->killed || t->proc->stopped || (pending & (~t->signal_mask | t->signals.waiting_for));
}

static int lowest(uint64_t set)
{
	if (set & SYNCHRONOUS)
		set &= SYNCHRONOUS;
	return set ? __builtin_ctzll(set) + 1 : 0;
}

int signal_dequeue(struct thread *t, uint64_t set, struct signal_info *info)
{
	int sig = lowest(t->signals.pending.set & set);
	if (sig) {
		queue_take(&t->signals.pending, sig, info);
		return sig;
	}
	sig = lowest(t->proc->shared_pending.set & set);
	if (sig)
		queue_take(&t->proc->shared_pending, sig, info);
	return sig;
}

long signal_restart_block(long (*fn)(struct restart_block *r), uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	current_thread()->signals.restart = (struct restart_block){.fn = fn, .arg = {a0, a1, a2, a3}};
	return -ERESTART_RESTARTBLOCK;
}

void signal_set_mask(uint64_t mask) { current_thread()->signal_mask = mask & ~SIGNALS_UNBLOCKABLE; }

void signal_set_temporary_mask(uint64_t mask)
{
	struct thread *t = current_thread();
	if (!t->signals.restore_mask) {
		t->signals.saved_mask = t->signal_mask;
		t->signals.restore_mask = true;
	}
	signal_set_mask(mask);
}

bool signal_on_altstack(const struct thread *t, uint64_t sp)
{
	if (t->altstack_flags & SS_AUTODISARM)
		return false; /* it is given up while a handler runs on it */
	return sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
}

int signal_altstack_change(struct thread *t, const struct signal_stack *ss, struct signal_stack *old, uint64_t sp)
{
	if (old) {
		int32_t state = !t->altstack_size ? SS_DISABLE : signal_on_altstack(t, sp) ? SS_ONSTACK : 0;
		*old = (struct signal_stack){.sp = t->altstack_sp,
		                             .flags = state | (int32_t)(t->altstack_flags & SS_AUTODISARM),
		                             .size = t->altstack_size};
	}
	if (!ss)
		return 0;
	if (signal_on_altstack(t, sp))
		return -EPERM;
	uint32_t mode = (uint32_t)ss->flags & ~SS_AUTODISARM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	uint64_t base = ss->sp, size = ss->size;
	if (mode == SS_DISABLE)
		base = size = 0;
	else if (size < MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack_sp = base;
	t->altstack_size = size;
	t->altstack_flags = (uint32_t)ss->flags;
	return 0;
}

/* A handler's frame could not be written (no room on the stack, no
 * restorer): the app ends with SIGSEGV, as Linux's force_sigsegv. */
static void __attribute__((noreturn)) frame_failed(struct trap_frame *f, int sig)
{
	char detail[96];
	ksnprintf(detail, sizeof detail, "no room on the stack for the frame of the handler of signal %d", sig);
	process_kill_by_signal(current_process(), SIGSEGV, f, "signal-frame", detail, f->rsp);
	__builtin_unreachable(); /* the caller's own process */
}

/* Linux's force_sigsegv: a handler whose frame cannot be written does not
 * run; a SIGSEGV, unblocked and not ignored, comes instead, and its own
 * handler may run on another stack. Only when that is SIGSEGV's own frame
 * does the process end. */
static void force_sigsegv(struct trap_frame *f, int sig)
{
	if (sig == SIGSEGV)
		frame_failed(f, sig);
	struct signal_info info = {.signo = SIGSEGV, .code = SI_KERNEL};
	signal_force(&info);
}

void signal_force(const struct signal_info *info)
{
	struct thread *t = current_thread();
	struct k_sigaction *action = action_of(t->proc, info->signo);
	bool blocked = t->signal_mask & signal_bit(info->signo);
	if (blocked || action->handler == SIG_IGN)
		action->handler = SIG_DFL;
	t->signal_mask &= ~signal_bit(info->signo);
	signal_send_thread(t, info);
}

/* Linux moves a thread that is preempted or signalled inside an rseq
 * critical section to its abort handler; a bad descriptor ends the app. */
static void abort_rseq_critical_section(struct thread *t, struct trap_frame *f)
{
	if (t->rseq_area && (rseq_abort_critical_section(t, f) || rseq_follow_cpu(t)))
		process_kill_by_signal(t->proc, SIGSEGV, f, "rseq",
		                       "the registered struct rseq or its critical-section descriptor is invalid", 0);
}

/* Turns an interrupted syscall's -ERESTART* into its result, now that a
 * handler with these flags runs before the app sees it. */
static void finish_interrupted_syscall(struct trap_frame *f, uint64_t flags)
{
	switch (-syscall_restart_code(f)) {
	case ERESTARTNOINTR:
		syscall_rerun(f, false);
		break;
	case ERESTARTSYS:
		if (flags & SA_RESTART)
			syscall_rerun(f, false);
		else
			syscall_set_result(f, -EINTR);
		break;
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		syscall_set_result(f, -EINTR);
		break;
	}
}

static void run_handler(struct trap_frame *f, int sig, const struct signal_info *info)
{
	struct thread *t = current_thread();
	struct k_sigaction *slot = action_of(t->proc, sig);
	struct k_sigaction ka = *slot;
	finish_interrupted_syscall(f, ka.flags);
	abort_rseq_critical_section(t, f);
	uint64_t saved = t->signals.restore_mask ? t->signals.saved_mask : t->signal_mask;
	if (sigframe_push(f, &ka, info, saved)) {
		force_sigsegv(f, sig);
		return;
	}
	t->signals.restore_mask = false;
	signal_set_mask(t->signal_mask | ka.mask | ((ka.flags & SA_NODEFER) ? 0 : signal_bit(sig)));
	if (ka.flags & SA_RESETHAND)
		slot->handler = SIG_DFL;
}

void signal_deliver_fault(struct trap_frame *f, int sig, int code, uint64_t addr, const char *cause, const char *detail)
{
	struct thread *t = current_thread();
	uint64_t handler = action_of(t->proc, sig)->handler;
	if (handler == SIG_DFL || handler == SIG_IGN || (t->signal_mask & signal_bit(sig)))
		process_kill_by_signal(t->proc, sig, f, cause, detail, addr);
	struct signal_info info = {.signo = sig, .code = code, .fault.addr = addr};
	run_handler(f, sig, &info);
}

void signal_return_to_user(struct trap_frame *f)
{
	struct thread *t = current_thread();
	if (t->killed)
		thread_exit_killed();
	job_wait_while_stopped();
	if (return_to_user_work)
		return_to_user_hooks_run(); /* before the signals: the work may raise one (SIGPIPE) */
	if (t->rseq_check) {
		t->rseq_check = false;
		abort_rseq_critical_section(t, f);
	}
	bool handled = false;
	struct signal_info info;
	int sig;
	while ((sig = signal_dequeue(t, ~t->signal_mask, &info))) {
		uint64_t handler = action_of(t->proc, sig)->handler;
		if (handler == SIG_IGN)
			continue;
		if (handler == SIG_DFL) {
			take_default_action(t, sig, &info);
			continue;
		}
		run_handler(f, sig, &info);
		handled = true;
	}
	if (!handled) {
		long code = syscall_restart_code(f);
		if (code)
			syscall_rerun(f, code == -ERESTART_RESTARTBLOCK);
		if (t->signals.restore_mask) {
			t->signals.restore_mask = false;
			signal_set_mask(t->signals.saved_mask);
		}
	}
	t->signal_wakeup = false;
}
