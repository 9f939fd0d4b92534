/* /dev/pts: a node for each pty slave, made when its master is opened
 * and removed when the master closes (kernel/tty/devpts.c). */
#ifndef SOLE_DEVPTS_H
#define SOLE_DEVPTS_H

#include <stdint.h>

struct chardev;
struct inode;

#define PTS_MAJOR 136 /* Linux's UNIX98_PTY_SLAVE_MAJOR */

/* Makes the /dev/pts folder in dev. */
void devpts_init(struct inode *dev);
/* The device number of slave index, as stat shows it. */
uint32_t devpts_rdev(int index);
/* Adds /dev/pts/index, driven by driver, owned by the caller with group
 * tty and mode 0620 as Debian mounts devpts: the node (held until
 * devpts_remove), or NULL when out of memory. */
struct inode *devpts_add(int index, const struct chardev *driver);
void devpts_remove(struct inode *node, int index);

#endif
