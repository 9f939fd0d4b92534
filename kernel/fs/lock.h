/* File locks (kernel/fs/lock.c): flock(2) locks, which belong to an open
 * file description, and byte-range record locks, which belong to a process
 * (fcntl's F_SETLK, released by any close of the file) or to an open file
 * description (the OFD locks, F_OFD_SETLK). */
#ifndef SOLE_LOCK_H
#define SOLE_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct file;
struct inode;

#define LOCK_TO_END UINT64_MAX /* a range that runs to the end of the file, however it grows */

/* A range request: [start, end) of kind F_RDLCK, F_WRLCK or F_UNLCK. */
struct lock_request {
	uint64_t start, end;
	short type;
	const void *owner; /* the process, or the open file for an OFD lock */
	int pid;           /* what F_GETLK reports of it (-1 for an OFD lock) */
};

/* F_GETLK: true, with *req changed into the first lock that conflicts with
 * it; false when none does. */
bool lock_find_conflict(struct inode *ino, struct lock_request *req);
/* F_SETLK (wait false) and F_SETLKW: places, changes or (F_UNLCK) removes
 * the owner's locks over the range. 0, -EAGAIN (a conflict, not waiting),
 * -EDEADLK (waiting would never end), -ENOMEM or -ERESTARTSYS. */
int lock_set(struct inode *ino, const struct lock_request *req, bool wait);
/* Every record lock the owner holds on ino goes (a close, for POSIX). */
void lock_release_owner(struct inode *ino, const void *owner);

/* flock: LOCK_SH or LOCK_EX on the open file f, converting one it holds;
 * waits for other open files' locks unless nonblock (-EWOULDBLOCK). */
int lock_flock(struct file *f, int mode, bool nonblock);
/* LOCK_UN, and the last close of f. */
void lock_flock_release(struct file *f);

#endif
