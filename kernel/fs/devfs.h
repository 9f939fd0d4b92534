/* The device files in /dev, and the console files behind fds 0, 1 and 2. */
#ifndef SOLE_DEVFS_H
#define SOLE_DEVFS_H

struct file;

/* A console file standing for the app's fd 0, 1 or 2. */
struct file *devfs_open_console(int fd);

#endif
