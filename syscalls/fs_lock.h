/* The record-lock half of fcntl (F_GETLK, F_SETLK, F_SETLKW and their OFD
 * forms), kept with flock in fs_lock.c. */
#ifndef SOLE_FS_LOCK_H
#define SOLE_FS_LOCK_H

struct file;

long fcntl_record_lock(struct file *f, unsigned cmd, void *user_lock);

#endif
