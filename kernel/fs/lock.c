/* File locks, see lock.h. Each inode keeps its record locks in a list (a
 * handful at a time in the programs that use them: sqlite, postgres, make's
 * jobserver), each with its owner and [start, end) range. Whoever waits for
 * a lock sleeps on one queue that every release wakes; a waiter that would
 * close a circle of owners waiting on each other gets EDEADLK instead, as
 * on Linux. */
#include "kernel/fs/lock.h"

#include <asm-generic/fcntl.h>
#include <linux/fs.h>

#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/sched/wait.h"

struct record_lock {
	uint64_t start, end;
	short type;
	const void *owner;
	int pid;
	struct record_lock *next;
};

/* Who waits for whom, for the deadlock check: one entry per sleeping
 * owner, on the waiter's stack. */
struct lock_wait {
	const void *owner, *blocked_by;
	struct lock_wait *next;
};

static struct wait_queue lock_waiters;
static struct lock_wait *waits;

static bool overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2) { return s1 < e2 && s2 < e1; }

static bool conflicts(const struct record_lock *l, const struct lock_request *req)
{
	return l->owner != req->owner && overlap(l->start, l->end, req->start, req->end) &&
	       (l->type == F_WRLCK || req->type == F_WRLCK);
}

static struct record_lock *first_conflict(struct inode *ino, const struct lock_request *req)
{
	for (struct record_lock *l = ino->record_locks; l; l = l->next)
		if (conflicts(l, req))
			return l;
	return NULL;
}

bool lock_find_conflict(struct inode *ino, struct lock_request *req)
{
	struct record_lock *l = first_conflict(ino, req);
	if (!l)
		return false;
	*req =
	    (struct lock_request){.start = l->start, .end = l->end, .type = l->type, .owner = l->owner, .pid = l->pid};
	return true;
}

/* Whether the owner of blocker waits, through a chain, for owner. */
static bool waits_for(const void *blocker, const void *owner)
{
	for (int depth = 0; depth < 64; depth++) {
		const struct lock_wait *w = waits;
		while (w && w->owner != blocker)
			w = w->next;
		if (!w)
			return false;
		if (w->blocked_by == owner)
			return true;
		blocker = w->blocked_by;
	}
	return true; /* a chain this long is a circle */
}

static int wait_for_release(const void *owner, const void *blocker)
{
	if (waits_for(blocker, owner))
		return -EDEADLK;
	struct lock_wait me = {owner, blocker, waits};
	waits = &me;
	enum wake_reason why = wait_on(&lock_waiters, 0);
	for (struct lock_wait **at = &waits; *at; at = &(*at)->next)
		if (*at == &me) {
			*at = me.next;
			break;
		}
	return why == WAKE_SIGNAL ? -ERESTARTSYS : 0;
}

static void wake_waiters(void) { wait_wake(&lock_waiters, __INT_MAX__, ~0u); }

/* The list is kept in order of start, so F_GETLK finds the first conflict
 * in the file, as Linux does. */
static void insert_sorted(struct inode *ino, struct record_lock *l)
{
	struct record_lock **at = &ino->record_locks;
	while (*at && (*at)->start <= l->start)
		at = &(*at)->next;
	l->next = *at;
	*at = l;
}

/* Takes [start, end) out of the owner's locks; spare is used (and set to
 * NULL) when a lock must be split in two. */
static void carve(struct inode *ino, const void *owner, uint64_t start, uint64_t end, struct record_lock **spare)
{
	for (struct record_lock **at = &ino->record_locks; *at;) {
		struct record_lock *l = *at;
		if (l->owner != owner || !overlap(l->start, l->end, start, end)) {
			at = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) {
			struct record_lock *tail = *spare;
			*spare = NULL;
			*tail = *l;
			tail->start = end;
			l->end = start;
			insert_sorted(ino, tail);
			return;
		}
		if (l->start < start) {
			l->end = start;
		} else if (l->end > end) {
			l->start = end;
		} else {
			*at = l->next;
			kfree(l);
			continue;
		}
		at = &l->next;
	}
}

/* The owner's locks of the same kind that touch l end to end become part
 * of it, as Linux merges them (F_GETLK then reports the whole range). */
static void absorb_neighbours(struct inode *ino, struct record_lock *l)
{
	for (struct record_lock **at = &ino->record_locks; *at;) {
		struct record_lock *n = *at;
		if (n->owner != l->owner || n->type != l->type || (n->end != l->start && n->start != l->end)) {
			at = &n->next;
			continue;
		}
		if (n->start < l->start)
			l->start = n->start;
		if (n->end > l->end)
			l->end = n->end;
		*at = n->next;
		kfree(n);
	}
}

int lock_set(struct inode *ino, const struct lock_request *req, bool wait)
{
	struct record_lock *blocker;
	while (req->type != F_UNLCK && (blocker = first_conflict(ino, req))) {
		if (!wait)
			return -EAGAIN;
		int err = wait_for_release(req->owner, blocker->owner);
		if (err)
			return err;
	}
	struct record_lock *spare = kmalloc(sizeof *spare);
	struct record_lock *fresh = req->type != F_UNLCK ? kmalloc(sizeof *fresh) : NULL;
	if (!spare || (req->type != F_UNLCK && !fresh)) {
		kfree(spare);
		kfree(fresh);
		return -ENOMEM;
	}
	carve(ino, req->owner, req->start, req->end, &spare);
	kfree(spare);
	if (fresh) {
		*fresh = (struct record_lock){req->start, req->end, req->type, req->owner, req->pid, NULL};
		absorb_neighbours(ino, fresh);
		insert_sorted(ino, fresh);
	}
	wake_waiters(); /* an unlock or a downgrade may let someone in */
	return 0;
}

void lock_release_owner(struct inode *ino, const void *owner)
{
	bool released = false;
	for (struct record_lock **at = &ino->record_locks; *at;) {
		struct record_lock *l = *at;
		if (l->owner != owner) {
			at = &l->next;
			continue;
		}
		*at = l->next;
		kfree(l);
		released = true;
	}
	if (released)
		wake_waiters();
}

static bool flock_conflict(const struct file *f, int mode)
{
	const struct inode *ino = f->inode;
	return ino->flock_exclusive || (mode == LOCK_EX && ino->flock_shared > 0);
}

int lock_flock(struct file *f, int mode, bool nonblock)
{
	if (mode == f->flock_mode)
		return 0;
	/* Converting drops the old lock first, as Linux does. */
	lock_flock_release(f);
	while (flock_conflict(f, mode)) {
		if (nonblock)
			return -EWOULDBLOCK;
		if (wait_on(&lock_waiters, 0) == WAKE_SIGNAL)
			return -ERESTARTSYS;
	}
	if (mode == LOCK_SH)
		f->inode->flock_shared++;
	else
		f->inode->flock_exclusive = f;
	f->flock_mode = mode;
	return 0;
}

void lock_flock_release(struct file *f)
{
	if (f->flock_mode == LOCK_SH)
		f->inode->flock_shared--;
	else if (f->flock_mode == LOCK_EX)
		f->inode->flock_exclusive = NULL;
	if (f->flock_mode)
		wake_waiters();
	f->flock_mode = 0;
}
