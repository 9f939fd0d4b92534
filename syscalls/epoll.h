/* epoll (syscalls/epoll.c): what the file layer calls. */
#ifndef SOLE_EPOLL_H
#define SOLE_EPOLL_H

struct file;

/* The file's last reference is gone: every epoll set drops its items for
 * it, as Linux does at the last close. */
void epoll_forget_file(struct file *f);

#endif
