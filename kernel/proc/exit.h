/* How threads and processes end (kernel/proc/exit.c). */
#ifndef SOLE_EXIT_H
#define SOLE_EXIT_H

#include <stdint.h>

struct process;
struct thread;
struct trap_frame;
struct wait_queue;

/* exit_group from the caller's process p: status goes to the parent (or,
 * for pid 1, to the host as sole run's exit status). */
void process_exit(struct process *p, int status) __attribute__((noreturn));
/* exit: the calling thread ends; the last one ends its process. */
void thread_exit(int status) __attribute__((noreturn));
/* Ends p by a fatal signal. A fault (f, the app's registers) gets a crash
 * record when p is pid 1, a warning line naming the process otherwise.
 * Does not return when p is the caller's process. */
void process_kill_by_signal(struct process *p, int sig, const struct trap_frame *f, const char *cause,
                            const char *detail, uint64_t addr);
/* Tells t to leave: it stops waiting and never returns to the app (its
 * process is ending, or exec is replacing it). */
void thread_kill(struct thread *t);
/* A thread told to leave goes this way: the last one of its process turns
 * the process into a zombie. */
void thread_exit_killed(void) __attribute__((noreturn));
/* Linux's mm_release, at exit and at exec (after the point of no return,
 * in the old image): t's robust locks are marked FUTEX_OWNER_DIED, its PI
 * locks go to their waiters, and whoever else still uses its memory (a
 * thread, a vfork parent) is woken through clear_child_tid, which like the
 * robust-list pointer is forgotten. */
void thread_release_futexes(struct thread *t);
/* wait's last step: frees the zombie p and counts its time in its parent. */
void process_reap(struct process *p);
/* Woken whenever a process ends (pidfds wait for that). */
struct wait_queue *process_end_queue(void);
/* Ends the VM: the exit reports, then host_status for the host. */
void vm_end(int host_status) __attribute__((noreturn));

#endif
