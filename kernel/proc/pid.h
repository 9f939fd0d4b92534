/* Process and thread ids. As on Linux they share one number space: a
 * process's id is the id of its first thread, and a number stays taken while
 * a thread, a process (a zombie too), a process group or a session uses it.
 * Hash tables find a thread by tid and a process by pid; every process is
 * also on one list, for kill(-1), process groups and /proc. */
#ifndef SOLE_PID_H
#define SOLE_PID_H

#include <stdbool.h>

struct process;
struct thread;

#define PID_MAX 4194304 /* Linux's pid_max limit on 64-bit */
#define PID_MIN 300     /* numbers below stay for early daemons after a wrap, as on Linux */

/* /proc/sys/kernel/pid_max: new numbers stay below it (PID_MIN + 1 to PID_MAX). */
extern unsigned long pid_max;

/* A free number, or -EAGAIN when every one is taken. */
int pid_alloc(void);

void pid_add_thread(struct thread *t);
void pid_remove_thread(struct thread *t);
void pid_add_process(struct process *p);
void pid_remove_process(struct process *p);

/* The live thread with this tid, or NULL. */
struct thread *thread_by_tid(int tid);
/* The process with this pid (a zombie too), or NULL. */
struct process *process_by_pid(int pid);

/* Every process, zombies included, in the order they were made. */
struct process *process_first(void);
struct process *process_next(const struct process *p);
int process_count(void);

#endif
