/* dnotify (kernel/fs/dnotify.c): fcntl's F_NOTIFY on a folder. */
#ifndef SOLE_DNOTIFY_H
#define SOLE_DNOTIFY_H

#include "kernel/fs/file.h"

/* F_NOTIFY through descriptor fd of folder file f, with DN_* bits in arg
 * (added to f's; none, or DN_MULTISHOT alone, removes it): 0, -ENOTDIR or
 * -ENOMEM. */
long dnotify_set(struct file *f, int fd, unsigned long arg);

#endif
