/* File leases (fcntl F_SETLEASE, F_GETLEASE), as Linux's: an open file
 * description of a regular file holds a read or a write lease; an open
 * that conflicts with it (any open for writing, or truncate, against any
 * lease; a read-only open against a write lease) tells the holder by signal
 * and waits until the holder lets go or /proc/sys/fs/lease-break-time
 * seconds pass. */
#ifndef SOLE_LEASE_H
#define SOLE_LEASE_H

struct file;
struct inode;

/* /proc/sys/fs/lease-break-time: seconds a holder has to let go. */
extern unsigned long lease_break_time;

/* F_SETLEASE through descriptor fd: F_RDLCK, F_WRLCK, or F_UNLCK to let go.
 * 0, -EACCES (not the file's owner nor root), -EINVAL (not a regular file,
 * an unknown type), -EAGAIN (the file is open in a way the lease conflicts
 * with; or F_UNLCK with no lease) or -ENOMEM. Taking one makes the caller's
 * process the file's owner, which the break signals. */
long lease_set(struct file *f, int fd, int type);
/* F_GETLEASE: F_RDLCK, F_WRLCK or F_UNLCK; while a break is pending, what
 * the lease is to become. */
int lease_get(struct file *f);

/* An open with flags (O_ACCMODE, O_NONBLOCK), or a truncate (O_WRONLY),
 * about to reach ino: breaks the leases it conflicts with and waits for
 * them. 0, -EWOULDBLOCK (O_NONBLOCK: the break is started), -ERESTARTSYS
 * (a signal), or -ENOENT (the file went away meanwhile). */
long lease_break(struct inode *ino, unsigned flags);

#endif
