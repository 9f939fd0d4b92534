/* The device files in /dev, and the console files behind fds 0, 1 and 2. */
#ifndef SOLE_DEVFS_H
#define SOLE_DEVFS_H

struct file;

#include <stdint.h>

struct chardev;

/* The driver of the character device numbered rdev (Linux's dev_t, as
 * mknod takes it), or NULL when the kernel has none: opening such a node
 * is ENXIO, as on Linux. */
const struct chardev *devfs_driver(uint32_t rdev);

/* A console file standing for the app's fd 0, 1 or 2. */
struct file *devfs_open_console(int fd);

#endif
