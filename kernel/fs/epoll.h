/* epoll sets (kernel/fs/epoll.c): making one, changing its items, and
 * waiting on it. */
#ifndef SOLE_EPOLL_H
#define SOLE_EPOLL_H

#include <stdint.h>

#include <linux/eventpoll.h>

struct file;

/* A new, empty epoll set as a file; NULL when out of memory. */
struct file *epoll_create(void);
/* EPOLL_CTL_ADD, _MOD or _DEL of (f, fd) in the set epf, with Linux's
 * errors (EPERM for a file that is always ready, ELOOP, EEXIST, ENOENT,
 * EINVAL). */
long epoll_ctl(struct file *epf, int op, struct file *f, int fd, struct epoll_event ev);
/* Reports up to max ready items to the app's array (already checked to be
 * user memory), waiting until one is ready, the deadline (monotonic ns, 0
 * for none) passes, or a signal comes (-EINTR). */
long epoll_wait_events(struct file *epf, struct epoll_event *user_events, int max, uint64_t deadline);

#endif
