/* Priority-inheritance futexes, as Linux's: the word holds its owner's tid
 * with the FUTEX_WAITERS and FUTEX_OWNER_DIED bits, and the kernel hands
 * the lock straight from owner to waiter. While a lock has waiters the
 * kernel keeps a PI state for it, which then outranks the word: its owner
 * and its waiters. The owner runs at least at its highest waiter's run
 * level (sched_policy_lend), and so on along owners that wait in turn.
 * When an owner dies its highest waiter gets the lock with the
 * FUTEX_OWNER_DIED bit, robust lock or not, as Linux's exit_pi_state_list
 * and fixup_pi_state_owner do (the robust-list walk runs first). The
 * kernel runs one thread at a time with interrupts off, so each step on a
 * word here is as atomic as Linux's cmpxchg on it. */
#include "kernel/sched/futex_pi.h"

#include <linux/futex.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/sched/futex_key.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/wait.h"

/* How far a lent level travels along owners that wait on other PI locks
 * (a cycle of them is an app's deadlock, which this stops). */
#define CHAIN_LIMIT 64

/* A contended PI lock. One exists per lock with waiters, a handful at a
 * time; they hang in hash chains by key. */
struct pi_state {
	struct futex_key key;
	struct thread *owner;
	struct wait_queue waiters; /* of struct pi_waiter, oldest first */
	int handoffs;              /* new owners yet to write their tid in the word */
	struct pi_state *next;
};

/* A thread in FUTEX_LOCK_PI, or in FUTEX_WAIT_REQUEUE_PI: there first on
 * the plain futex's queue, then maybe in the PI state it was moved to. */
struct pi_waiter {
	struct waiter w;         /* first, so that a queue's waiter leads back here */
	struct pi_state *state;  /* the PI state it waits in, or got from a dying owner */
	struct futex_key target; /* FUTEX_WAIT_REQUEUE_PI's PI lock */
	bool owns;               /* the lock was handed to it */
	bool names_itself;       /* ... by a dying owner: it writes its tid in the word */
};

static struct pi_state *states[FUTEX_BUCKETS];

static int read_word(uint32_t *uaddr, uint32_t *value)
{
	return copy_from_user(value, uaddr, sizeof *value) ? -EFAULT : 0;
}

static int write_word(uint32_t *uaddr, uint32_t value)
{
	return copy_to_user(uaddr, &value, sizeof value) ? -EFAULT : 0;
}

static struct pi_state *state_find(struct futex_key k)
{
	for (struct pi_state *s = states[futex_key_hash(k)]; s; s = s->next)
		if (futex_key_equal(s->key, k))
			return s;
	return NULL;
}

static struct pi_state *state_new(struct futex_key k, struct thread *owner)
{
	struct pi_state *s = kmalloc(sizeof *s);
	if (!s)
		return NULL;
	struct pi_state **chain = &states[futex_key_hash(k)];
	*s = (struct pi_state){.key = k, .owner = owner, .next = *chain};
	*chain = s;
	return s;
}

/* Frees s once nobody waits in it and no new owner still has to name
 * itself in the word. */
static void state_put_if_idle(struct pi_state *s)
{
	if (s->waiters.head || s->handoffs)
		return;
	for (struct pi_state **at = &states[futex_key_hash(s->key)]; *at; at = &(*at)->next)
		if (*at == s) {
			*at = s->next;
			break;
		}
	kfree(s);
}

static struct pi_waiter *pi_waiter_of(struct waiter *w) { return (struct pi_waiter *)w; }

static int level_of(const struct thread *t) { return sched_policy_level(&t->sched); }

/* Who gets s next: the highest level, the oldest among equals, as Linux's
 * rt_mutex orders its waiters. */
static struct pi_waiter *top_waiter(const struct pi_state *s)
{
	struct waiter *best = NULL;
	for (struct waiter *w = s->waiters.head; w; w = w->next)
		if (!best || level_of(w->thread) > level_of(best->thread))
			best = w;
	return best ? pi_waiter_of(best) : NULL;
}

/* The level t's waiters lend it: the highest of every lock it owns, 0 for
 * none. */
static int lent_level(const struct thread *t)
{
	int level = 0;
	for (int b = 0; b < FUTEX_BUCKETS; b++)
		for (const struct pi_state *s = states[b]; s; s = s->next)
			if (s->owner == t)
				for (const struct waiter *w = s->waiters.head; w; w = w->next)
					if (level_of(w->thread) > level)
						level = level_of(w->thread);
	return level;
}

/* The PI state t waits in, NULL when it waits in none. */
static const struct pi_state *state_waited_by(const struct thread *t)
{
	for (int b = 0; b < FUTEX_BUCKETS; b++)
		for (const struct pi_state *s = states[b]; s; s = s->next)
			for (const struct waiter *w = s->waiters.head; w; w = w->next)
				if (w->thread == t)
					return s;
	return NULL;
}

/* Whether owner waits, through owners that wait in turn, for a lock that t
 * holds: t waiting for owner would close the circle, which Linux's chain
 * walk reports as EDEADLK. */
static bool waits_for(const struct thread *owner, const struct thread *t)
{
	for (int n = 0; owner && n < CHAIN_LIMIT; n++) {
		if (owner == t)
			return true;
		const struct pi_state *s = state_waited_by(owner);
		owner = s ? s->owner : NULL;
	}
	return false;
}

/* t's waiters changed: it runs at their highest level now, and an owner
 * it waits for in turn at least there too. */
static void update_lent_levels(struct thread *t)
{
	for (int n = 0; t && n < CHAIN_LIMIT; n++) {
		int level = lent_level(t);
		if (level == t->sched.pi_level)
			return;
		sched_policy_lend(t, level);
		const struct pi_state *s = state_waited_by(t);
		t = s ? s->owner : NULL;
	}
}

/* Linux's futex_lock_pi_atomic for t (the caller, or the waiter that
 * FUTEX_CMP_REQUEUE_PI locks for): 1 when the lock was free and the word
 * now names t (FUTEX_WAITERS too with set_waiters); 0 when t must wait,
 * *state then being the lock's PI state, made if need be, and the word
 * carrying FUTEX_WAITERS; -EDEADLK when t owns it, -ESRCH when the word
 * names no live thread, -EFAULT, -ENOMEM. A word freed by a dead owner
 * keeps FUTEX_OWNER_DIED for its next owner to see. */
static long lock_or_attach(uint32_t *uaddr, struct futex_key k, struct thread *t, bool set_waiters,
                           struct pi_state **state)
{
	uint32_t value;
	if (read_word(uaddr, &value))
		return -EFAULT;
	uint32_t owner_tid = value & FUTEX_TID_MASK;
	struct pi_state *s = state_find(k);
	if (owner_tid == (uint32_t)t->tid || (s && s->owner == t))
		return -EDEADLK;
	if (!s && !owner_tid) {
		uint32_t mine = (uint32_t)t->tid | (value & FUTEX_OWNER_DIED) | (set_waiters ? FUTEX_WAITERS : 0);
		return write_word(uaddr, mine) ? -EFAULT : 1;
	}
	if (!s) {
		struct thread *owner = thread_by_tid((int)owner_tid);
		if (!owner || owner->state == THREAD_DEAD)
			return -ESRCH;
		s = state_new(k, owner);
		if (!s)
			return -ENOMEM;
	}
	if (!(value & FUTEX_WAITERS) && write_word(uaddr, value | FUTEX_WAITERS)) {
		state_put_if_idle(s);
		return -EFAULT;
	}
	*state = s;
	return 0;
}

static void join(struct pi_state *s, struct pi_waiter *pw, struct thread *t)
{
	pw->state = s;
	wait_add(&s->waiters, &pw->w, t);
	update_lent_levels(s->owner);
}

/* pw gives up waiting (a deadline, a signal): its owner may run lower. */
static void leave(struct pi_waiter *pw)
{
	struct pi_state *s = pw->state;
	struct thread *owner = s->owner;
	wait_remove(&pw->w);
	pw->state = NULL;
	state_put_if_idle(s);
	update_lent_levels(owner);
}

/* Makes pw's thread the owner of s and wakes it; the old owner keeps only
 * what its other locks lend it. From a dying owner the new one names
 * itself in the word when it runs (finish_owning). */
static void hand_over(struct pi_state *s, struct pi_waiter *pw, bool names_itself)
{
	struct thread *old = s->owner, *new = pw->w.thread;
	wait_remove(&pw->w);
	pw->owns = true;
	pw->names_itself = names_itself;
	pw->state = names_itself ? s : NULL;
	s->handoffs += names_itself;
	s->owner = new;
	sched_wake(new, WAKE_EVENT);
	state_put_if_idle(s);
	update_lent_levels(old);
	update_lent_levels(new);
}

/* The caller got the lock at uaddr; from a dying owner it now writes its
 * own tid there, with FUTEX_OWNER_DIED, as Linux's fixup_pi_state_owner. */
static long finish_owning(uint32_t *uaddr, struct pi_waiter *pw)
{
	if (!pw->names_itself)
		return 0;
	struct pi_state *s = pw->state;
	s->handoffs--;
	state_put_if_idle(s);
	return write_word(uaddr, FUTEX_OWNER_DIED | FUTEX_WAITERS | (uint32_t)current_thread()->tid);
}

/* Blocks in pw's PI state until handed the lock (0), the deadline
 * (-ETIMEDOUT) or a signal (interrupted). */
static long wait_for_lock(uint32_t *uaddr, struct pi_waiter *pw, uint64_t deadline, long interrupted)
{
	enum wake_reason why;
	do
		why = sched_block(deadline);
	while (why == WAKE_EVENT && !pw->owns);
	if (pw->owns)
		return finish_owning(uaddr, pw);
	leave(pw);
	return why == WAKE_TIMEOUT ? -ETIMEDOUT : interrupted;
}

long futex_lock_pi(uint32_t *uaddr, uint64_t deadline, bool trylock)
{
	struct thread *me = current_thread();
	struct pi_state *s = NULL;
	long ret = lock_or_attach(uaddr, futex_key_of((uintptr_t)uaddr), me, false, &s);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (trylock || waits_for(s->owner, me)) {
		state_put_if_idle(s);
		return trylock ? -EAGAIN : -EDEADLK;
	}
	struct pi_waiter pw = {0};
	join(s, &pw, me);
	/* A signal restarts the lock, as Linux's ERESTARTNOINTR: never EINTR. */
	return wait_for_lock(uaddr, &pw, deadline, -ERESTARTNOINTR);
}

long futex_unlock_pi(uint32_t *uaddr)
{
	struct thread *me = current_thread();
	uint32_t value;
	if (read_word(uaddr, &value))
		return -EFAULT;
	if ((value & FUTEX_TID_MASK) != (uint32_t)me->tid)
		return -EPERM;
	struct pi_state *s = state_find(futex_key_of((uintptr_t)uaddr));
	struct pi_waiter *next = s ? top_waiter(s) : NULL;
	if (!next)
		return write_word(uaddr, 0);
	if (s->owner != me)
		return -EINVAL; /* the word was rewritten behind the kernel's back */
	if (write_word(uaddr, (uint32_t)next->w.thread->tid | FUTEX_WAITERS))
		return -EFAULT;
	hand_over(s, next, false);
	return 0;
}

/* The two requeue-PI calls' first checks: uaddr and uaddr2 are two futexes
 * (EINVAL), and uaddr still holds expected (EFAULT, EAGAIN). */
static long requeue_pi_keys(uint32_t *uaddr, uint32_t expected, uint32_t *uaddr2, struct futex_key *k,
                            struct futex_key *target)
{
	*k = futex_key_of((uintptr_t)uaddr);
	*target = futex_key_of((uintptr_t)uaddr2);
	if (futex_key_equal(*k, *target))
		return -EINVAL;
	uint32_t value;
	if (read_word(uaddr, &value))
		return -EFAULT;
	return value != expected ? -EAGAIN : 0;
}

long futex_wait_requeue_pi(uint32_t *uaddr, uint32_t val, uint64_t deadline, uint32_t *uaddr2)
{
	struct futex_key k, target;
	long err = requeue_pi_keys(uaddr, val, uaddr2, &k, &target);
	if (err)
		return err;
	struct pi_waiter pw = {
	    .w = {.bitset = FUTEX_BITSET_MATCH_ANY, .key = k.offset, .key_space = k.space, .requeue_pi = true},
	    .target = target};
	wait_add(futex_queue_of(k), &pw.w, current_thread());
	enum wake_reason why;
	do
		why = sched_block(deadline);
	while (why == WAKE_EVENT && !pw.owns);
	if (pw.owns)
		return finish_owning(uaddr2, &pw);
	if (pw.state) {
		/* Moved already: as Linux, a signal now ends the call with
		 * EAGAIN (a restart would find the condition word changed). */
		leave(&pw);
		return why == WAKE_TIMEOUT ? -ETIMEDOUT : -EAGAIN;
	}
	wait_remove(&pw.w);
	return why == WAKE_TIMEOUT ? -ETIMEDOUT : -ERESTARTNOINTR;
}

long futex_cmp_requeue_pi(uint32_t *uaddr, uint32_t cmpval, int nr_requeue, uint32_t *uaddr2)
{
	struct futex_key k, target;
	long err = requeue_pi_keys(uaddr, cmpval, uaddr2, &k, &target);
	if (err)
		return err;
	struct wait_queue *q = futex_queue_of(k);
	struct pi_state *s = NULL;
	int done = 0;
	/* The oldest waiter is woken owning the lock if it is free; it and up
	 * to nr_requeue more are moved to wait for it otherwise. */
	for (struct waiter *w = q->head, *next; w && done <= nr_requeue; w = next) {
		next = w->next;
		if (!futex_waits_on(w, k))
			continue;
		struct pi_waiter *pw = pi_waiter_of(w);
		if (!w->requeue_pi || !futex_key_equal(pw->target, target))
			return -EINVAL;
		if (!s) {
			long ret = lock_or_attach(uaddr2, target, w->thread, true, &s);
			if (ret < 0)
				return done ? done : ret;
			if (ret == 1) {
				wait_remove(w);
				pw->owns = true;
				sched_wake(w->thread, WAKE_EVENT);
				done++;
				continue;
			}
		}
		wait_remove(w);
		join(s, pw, w->thread);
		done++;
	}
	return done;
}

void futex_pi_waiter_level_changed(const struct thread *t)
{
	const struct pi_state *s = state_waited_by(t);
	if (s)
		update_lent_levels(s->owner);
}

void futex_exit_pi_states(struct thread *t)
{
	for (int b = 0; b < FUTEX_BUCKETS; b++)
		for (struct pi_state *s = states[b], *next; s; s = next) {
			next = s->next;
			struct pi_waiter *pw = s->owner == t ? top_waiter(s) : NULL;
			if (pw)
				hand_over(s, pw, true);
		}
}
