/* pidfds (kernel/fs/pidfd.c): a file that names a process, for
 * pidfd_open, clone's CLONE_PIDFD, pidfd_send_signal, pidfd_getfd and
 * waitid(P_PIDFD). It polls readable once the process has ended. */
#ifndef SOLE_PIDFD_H
#define SOLE_PIDFD_H

struct file;
struct process;

/* A new pidfd for p; flags may hold O_NONBLOCK. NULL when out of memory. */
struct file *pidfd_create(struct process *p, unsigned flags);
/* The process f names: -EBADF when f is no pidfd, -ESRCH when the
 * process has been reaped. */
long pidfd_process(struct file *f, struct process **out);

#endif
