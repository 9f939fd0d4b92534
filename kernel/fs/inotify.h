/* inotify (kernel/fs/inotify.c): watches on inodes of the tree, and the
 * hooks the VFS calls where it changes things. Each hook is inline and
 * tests a pointer or two first, so a tree nobody watches pays nothing. */
#ifndef SOLE_INOTIFY_H
#define SOLE_INOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include <linux/inotify.h>

#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"

/* /proc/sys/fs/inotify/max_queued_events: past it, one IN_Q_OVERFLOW. */
#define INOTIFY_MAX_QUEUED_EVENTS 16384

/* /proc/sys/fs/inotify/max_user_{instances,watches}: how many instances and
 * watches one user's processes may hold (EMFILE and ENOSPC past them). */
extern unsigned long inotify_max_user_instances, inotify_max_user_watches;

/* A new inotify file for user uid (the creator's effective uid, who is
 * charged for it and its watches); flags may hold O_NONBLOCK. 0 with *out,
 * -EMFILE past the user's limit, or -ENOMEM. */
int inotify_create(unsigned flags, uint32_t uid, struct file **out);
bool inotify_is_instance(const struct file *f);
/* inotify_add_watch and inotify_rm_watch on an instance: the watch
 * descriptor, or -errno. */
long inotify_watch_add(struct file *f, struct inode *ino, uint32_t mask);
int inotify_watch_remove(struct file *f, int wd);

/* dnotify's watch (kernel/fs/dnotify.c) through folder file f: each event
 * of its mask (IN_* bits, and IN_ONESHOT to fire once) on the folder or its
 * entries signals f's owner with POLL_MSG, naming fd. Adding to f's watch
 * adds the events (it fires once only while every addition asked for
 * that); it goes when removed, after firing once, or at f's last close.
 * add gives 0 or -ENOMEM. */
int inotify_signal_watch_add(struct file *f, int fd, uint32_t mask);
void inotify_signal_watch_remove(struct file *f);

/* The slow paths behind the hooks. */
void inotify_notify(struct inode *ino, uint32_t mask, bool self_only);
void inotify_entry_changed(struct inode *dir, uint32_t mask, const char *name, size_t len, bool is_dir);
void inotify_moved(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir, const char *newname,
                   size_t newlen, struct inode *src);
void inotify_forget_inode(struct inode *ino);

static inline bool inotify_watched(const struct inode *ino) { return ino->inotify_watches != NULL; }

/* Something happened to ino (IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_OPEN,
 * IN_CLOSE_*): its watches see it, and so, with its name, do those of the
 * folder that holds it. */
static inline void inotify_event(struct inode *ino, uint32_t mask)
{
	if (inotify_watched(ino) || (ino->notify_parent && inotify_watched(ino->notify_parent)))
		inotify_notify(ino, mask, false);
}

/* An event only the inode's own watches see: its link count changed
 * (IN_ATTRIB), it moved (IN_MOVE_SELF). */
static inline void inotify_self_event(struct inode *ino, uint32_t mask)
{
	if (inotify_watched(ino))
		inotify_notify(ino, mask, true);
}

/* A folder's entry came or went: IN_CREATE, IN_DELETE. */
static inline void inotify_entry_event(struct inode *dir, uint32_t mask, const char *name, size_t len, bool is_dir)
{
	if (inotify_watched(dir))
		inotify_entry_changed(dir, mask, name, len, is_dir);
}

/* A rename: IN_MOVED_FROM and IN_MOVED_TO with one cookie. */
static inline void inotify_rename(struct inode *olddir, const char *oldname, size_t oldlen, struct inode *newdir,
                                  const char *newname, size_t newlen, struct inode *src)
{
	if (inotify_watched(olddir) || inotify_watched(newdir))
		inotify_moved(olddir, oldname, oldlen, newdir, newname, newlen, src);
}

/* The inode is going, its last link and last user gone: IN_DELETE_SELF
 * and IN_IGNORED to its watches. */
static inline void inotify_inode_gone(struct inode *ino)
{
	if (inotify_watched(ino))
		inotify_forget_inode(ino);
}

#endif
