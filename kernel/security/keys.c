/* The key retention service (see keys.h). Keys live in a hash by serial;
 * keyrings hold arrays of links. Processes and threads name their keyrings
 * by serial, so nothing counts references: a mark-and-sweep pass frees the
 * keys that no keyring, process, thread or user reaches any more (after
 * unlinks, exec and exit, and before a quota refusal). Keys per user are a
 * few hundred at most (maxkeys), users a handful: a list. */
#include "kernel/security/capability.h"
#include "kernel/security/keys.h"

#include <linux/keyctl.h>
#include <stdbool.h>
#include "libc-glue/kformat.h"
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/hooks.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "kernel/time.h"

unsigned long keys_maxkeys = 200, keys_maxbytes = 20000;
unsigned long keys_root_maxkeys = 1000000, keys_root_maxbytes = 25000000;

/* Permission bits: possessor, user, group and other, a byte each. */
#define KP_VIEW 0x01
#define KP_READ 0x02
#define KP_WRITE 0x04
#define KP_SEARCH 0x08
#define KP_LINK 0x10
#define KP_SETATTR 0x20
#define KP_ALL 0x3f
#define POS(bits) ((uint32_t)(bits) << 24)
#define USR(bits) ((uint32_t)(bits) << 16)

#define USER_PAYLOAD_MAX 32767
#define NEST_MAX 6 /* keyrings within keyrings a search descends, as Linux */
#define NEGATIVE_TIMEOUT 60 /* seconds a negative key lasts, Linux's key_negative_timeout */
#define KEY_BUCKETS 256

enum key_type { TYPE_USER, TYPE_LOGON, TYPE_KEYRING };
static const char *const type_names[] = {"user", "logon", "keyring"};

struct key {
	int32_t serial;
	enum key_type type;
	char *description;
	uint8_t *payload; /* user and logon */
	size_t datalen;
	struct key **links; /* keyring */
	int nlinks, cap;
	uint32_t uid, gid, perm;
	uint64_t expiry; /* realtime seconds, 0 for never */
	bool negative; /* made by a request_key that found nothing: ENOKEY */
	bool revoked, invalidated, in_quota, marked;
	size_t quota_bytes;
	unsigned visit; /* the possession walk's generation */
	struct key *hash_next;
	struct key *mark_next; /* the collector's stack */
};

/* Each user's quota use and its two keyrings, made on first use. */
struct key_user {
	uint32_t uid;
	unsigned long nkeys, nbytes;
	int32_t keyring, session_keyring;
	struct key_user *next;
};

static struct key *by_serial[KEY_BUCKETS];
static struct key_user *users;
static unsigned visit_generation;

enum lookup_flags { LOOKUP_CREATE = 1, LOOKUP_NO_VALIDATE = 2 };

static const struct credentials *cred(void) { return &current_process()->cred; }
static bool is_admin(void) { return capable(CAP_SYS_ADMIN); }
static uint64_t now_seconds(void) { return time_realtime_ns() / 1000000000ull; }

static struct key *key_by_serial(int32_t serial)
{
	if (serial <= 0)
		return NULL;
	for (struct key *k = by_serial[(uint32_t)serial % KEY_BUCKETS]; k; k = k->hash_next)
		if (k->serial == serial)
			return k;
	return NULL;
}

static struct key_user *key_user_of(uint32_t uid)
{
	for (struct key_user *u = users; u; u = u->next)
		if (u->uid == uid)
			return u;
	struct key_user *u = kzalloc(sizeof *u);
	if (u) {
		u->uid = uid;
		u->next = users;
		users = u;
	}
	return u;
}

/* ---- freeing what nothing reaches ---- */

/* Marks what k reaches. Keyrings may nest without bound, so the walk
 * keeps its own stack, threaded through the keys. */
static void mark(struct key *k)
{
	if (!k || k->marked)
		return;
	k->marked = true;
	k->mark_next = NULL;
	struct key *stack = k;
	while (stack) {
		struct key *ring = stack;
		stack = ring->mark_next;
		for (int i = 0; i < ring->nlinks; i++) {
			struct key *linked = ring->links[i];
			if (!linked->marked) {
				linked->marked = true;
				linked->mark_next = stack;
				stack = linked;
			}
		}
	}
}

static void key_destroy(struct key *k)
{
	if (k->in_quota) {
		struct key_user *u = key_user_of(k->uid);
		if (u) {
			u->nkeys--;
			u->nbytes -= k->quota_bytes;
		}
	}
	kfree(k->description);
	kfree(k->payload);
	kfree(k->links);
	kfree(k);
}

static void keys_collect(void)
{
	for (struct key_user *u = users; u; u = u->next) {
		mark(key_by_serial(u->keyring));
		mark(key_by_serial(u->session_keyring));
	}
	for (struct process *p = process_first(); p; p = process_next(p)) {
		mark(key_by_serial(p->process_keyring));
		mark(key_by_serial(p->session_keyring));
		for (struct thread *t = p->threads; t; t = t->next_in_process)
			mark(key_by_serial(t->thread_keyring));
	}
	for (int b = 0; b < KEY_BUCKETS; b++) {
		struct key **at = &by_serial[b];
		while (*at) {
			struct key *k = *at;
			if (k->marked) {
				k->marked = false;
				at = &k->hash_next;
			} else {
				*at = k->hash_next;
				key_destroy(k);
			}
		}
	}
}

/* ---- making keys ---- */

/* A new key's: all for its possessor (but reading a logon key), viewing
 * for its user. */
static uint32_t default_perm(enum key_type type)
{
	uint32_t pos = KP_VIEW | KP_SEARCH | KP_LINK | KP_SETATTR | KP_WRITE;
	if (type != TYPE_LOGON)
		pos |= KP_READ;
	return POS(pos) | USR(KP_VIEW);
}


static int charge_quota(struct key_user *u, size_t bytes)
{
	unsigned long maxkeys = u->uid == 0 ? keys_root_maxkeys : keys_maxkeys;
	unsigned long maxbytes = u->uid == 0 ? keys_root_maxbytes : keys_maxbytes;
	if (u->nkeys + 1 > maxkeys || u->nbytes + bytes > maxbytes)
		return -EDQUOT;
	u->nkeys++;
	u->nbytes += bytes;
	return 0;
}

/* A key with a fresh random serial (Linux's are random too, from 3 up).
 * in_quota counts it against its owner's maxkeys and maxbytes. */
static struct key *key_alloc(enum key_type type, const char *desc, uint32_t uid, uint32_t gid, uint32_t perm,
                             bool in_quota, size_t datalen, int *err)
{
	size_t bytes = strlen(desc) + 1 + datalen;
	struct key_user *u = key_user_of(uid);
	struct key *k = kzalloc(sizeof *k);
	char *d = kstrdup(desc);
	if (!u || !k || !d) {
		kfree(k);
		kfree(d);
		*err = -ENOMEM;
		return NULL;
	}
	if (in_quota && charge_quota(u, bytes)) {
		keys_collect();
		if ((*err = charge_quota(u, bytes))) {
			kfree(k);
			kfree(d);
			return NULL;
		}
	}
	do {
		random_fill(&k->serial, sizeof k->serial);
		k->serial &= 0x7fffffff;
	} while (k->serial < 3 || key_by_serial(k->serial));
	k->type = type;
	k->description = d;
	k->uid = uid;
	k->gid = gid;
	k->perm = perm;
	k->in_quota = in_quota;
	k->quota_bytes = in_quota ? bytes : 0;
	k->hash_next = by_serial[(uint32_t)k->serial % KEY_BUCKETS];
	by_serial[(uint32_t)k->serial % KEY_BUCKETS] = k;
	return k;
}

static struct key *keyring_alloc(const char *desc, uint32_t uid, uint32_t gid, uint32_t perm, bool in_quota, int *err)
{
	return key_alloc(TYPE_KEYRING, desc, uid, gid, perm, in_quota, 0, err);
}

static int payload_copy(struct key *k, const void *payload, size_t len)
{
	uint8_t *copy = kmalloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, payload, len);
	kfree(k->payload);
	k->payload = copy;
	k->datalen = len;
	return 0;
}

/* Replaces a user or logon key's payload, charging the difference. */
static int key_set_payload(struct key *k, const void *payload, size_t len)
{
	if (!payload || len == 0 || len > USER_PAYLOAD_MAX)
		return -EINVAL;
	struct key_user *u = key_user_of(k->uid);
	if (!u)
		return -ENOMEM;
	unsigned long maxbytes = k->uid == 0 ? keys_root_maxbytes : keys_maxbytes;
	if (k->in_quota && len > k->datalen && u->nbytes + (len - k->datalen) > maxbytes)
		return -EDQUOT;
	size_t old = k->datalen;
	int err = payload_copy(k, payload, len);
	if (!err && k->in_quota) {
		u->nbytes = u->nbytes - old + len;
		k->quota_bytes = k->quota_bytes - old + len;
	}
	return err;
}

/* ---- the caller's keyrings ---- */

/* The user's keyring and user session keyring, made on first use. */
static struct key *user_keyring(bool session, int *err)
{
	uint32_t uid = cred()->ruid;
	struct key_user *u = key_user_of(uid);
	if (!u) {
		*err = -ENOMEM;
		return NULL;
	}
	int32_t *slot = session ? &u->session_keyring : &u->keyring;
	struct key *k = key_by_serial(*slot);
	if (k)
		return k;
	char name[32];
	ksnprintf(name, sizeof name, session ? "_uid_ses.%u" : "_uid.%u", uid);
	k = keyring_alloc(name, uid, (uint32_t)-1, POS(KP_ALL) | USR(KP_ALL), false, err);
	if (k)
		*slot = k->serial;
	return k;
}

static struct key *new_own_keyring(const char *name, uint32_t perm, int *err)
{
	return keyring_alloc(name, cred()->fsuid, cred()->fsgid, perm, true, err);
}

static long install_session(const char *name, uint32_t perm)
{
	int err;
	struct key *k = new_own_keyring(name, perm, &err);
	if (!k)
		return err;
	current_process()->session_keyring = k->serial;
	keys_collect();
	return k->serial;
}

/* The session keyring, or the user session keyring standing in for it. */
static struct key *session_keyring_or_user(void)
{
	struct key *s = key_by_serial(current_process()->session_keyring);
	if (s)
		return s;
	int err;
	return user_keyring(true, &err);
}

/* ---- permission and possession ---- */

static bool expired(const struct key *k) { return k->expiry && k->expiry <= now_seconds(); }

/* Linux's key_validate. */
static int key_validate(const struct key *k)
{
	if (k->invalidated || k->negative)
		return -ENOKEY;
	if (k->revoked)
		return -EKEYREVOKED;
	if (expired(k))
		return -EKEYEXPIRED;
	return 0;
}

/* The permission bits the caller has on k: the first of user and group
 * that matches, else other's, plus the possessor's. */
static uint32_t key_perm(const struct key *k, bool possessed)
{
	const struct credentials *c = cred();
	uint32_t bits;
	if (k->uid == c->fsuid)
		bits = k->perm >> 16;
	else if (k->gid != (uint32_t)-1 && cred_in_group(c, c->fsgid, k->gid))
		bits = k->perm >> 8;
	else
		bits = k->perm;
	if (possessed)
		bits |= k->perm >> 24;
	return bits & KP_ALL;
}

static bool reaches(struct key *ring, const struct key *target, int depth)
{
	if (ring == target)
		return depth == 0 || (key_perm(target, true) & KP_SEARCH);
	if (ring->type != TYPE_KEYRING || ring->visit == visit_generation || depth > NEST_MAX)
		return false;
	ring->visit = visit_generation;
	if (key_validate(ring) || !(key_perm(ring, true) & KP_SEARCH))
		return false;
	for (int i = 0; i < ring->nlinks; i++)
		if (reaches(ring->links[i], target, depth + 1))
			return true;
	return false;
}

/* Possessed: one of the caller's thread, process or session keyring, or
 * a key that a search from them finds (so it must grant search itself). */
static bool possessed(const struct key *k)
{
	struct key *roots[] = {key_by_serial(current_thread()->thread_keyring),
	                       key_by_serial(current_process()->process_keyring), session_keyring_or_user()};
	visit_generation++;
	for (int i = 0; i < 3; i++)
		if (roots[i] && reaches(roots[i], k, 0))
			return true;
	return false;
}

static int key_permits(const struct key *k, uint32_t need)
{
	if (!need || (key_perm(k, false) & need) == need)
		return 0;
	return (key_perm(k, possessed(k)) & need) == need ? 0 : -EACCES;
}

/* The special ids' keyrings, made when create asks (the session keyring
 * also without: the user session keyring becomes it, as on Linux). */
static struct key *special_keyring(int32_t id, int flags, int *err)
{
	struct process *p = current_process();
	struct thread *t = current_thread();
	struct key *k;
	*err = -ENOKEY;
	switch (id) {
	case KEY_SPEC_THREAD_KEYRING:
		if ((k = key_by_serial(t->thread_keyring)) || !(flags & LOOKUP_CREATE))
			return k;
		if ((k = new_own_keyring("_tid", POS(KP_ALL) | USR(KP_VIEW), err)))
			t->thread_keyring = k->serial;
		return k;
	case KEY_SPEC_PROCESS_KEYRING:
		if ((k = key_by_serial(p->process_keyring)) || !(flags & LOOKUP_CREATE))
			return k;
		if ((k = new_own_keyring("_pid", POS(KP_ALL) | USR(KP_VIEW), err)))
			p->process_keyring = k->serial;
		return k;
	case KEY_SPEC_SESSION_KEYRING:
		if ((k = key_by_serial(p->session_keyring)))
			return k;
		if (flags & LOOKUP_CREATE) {
			long serial = install_session("_ses", POS(KP_ALL) | USR(KP_VIEW | KP_READ));
			*err = serial < 0 ? (int)serial : 0;
			return serial < 0 ? NULL : key_by_serial((int32_t)serial);
		}
		if ((k = user_keyring(true, err)))
			p->session_keyring = k->serial;
		return k;
	case KEY_SPEC_USER_KEYRING:
		return user_keyring(false, err);
	case KEY_SPEC_USER_SESSION_KEYRING:
		return user_keyring(true, err);
	case KEY_SPEC_GROUP_KEYRING:
		*err = -EINVAL;
		return NULL;
	case KEY_SPEC_REQKEY_AUTH_KEY:
	case KEY_SPEC_REQUESTOR_KEYRING:
		return NULL; /* no request_key authority is ever held */
	default:
		*err = -EINVAL;
		return NULL;
	}
}

/* Linux's lookup_user_key: the key id names, valid (unless NO_VALIDATE)
 * and granting need. */
static struct key *key_lookup(int32_t id, int flags, uint32_t need, int *err)
{
	struct key *k = id > 0 ? key_by_serial(id) : special_keyring(id, flags, err);
	if (id > 0 && !k)
		*err = -ENOKEY;
	if (!k)
		return NULL;
	if (!(flags & LOOKUP_NO_VALIDATE) && (*err = key_validate(k)))
		return NULL;
	if ((*err = key_permits(k, need)))
		return NULL;
	return k;
}

/* ---- keyrings ---- */

static int link_index(const struct key *ring, const struct key *k)
{
	for (int i = 0; i < ring->nlinks; i++)
		if (ring->links[i] == k)
			return i;
	return -1;
}

static void unlink_at(struct key *ring, int i)
{
	ring->links[i] = ring->links[--ring->nlinks];
}

/* The link in ring to a key of this type and description, or -1. */
static int find_in_ring(const struct key *ring, enum key_type type, const char *desc)
{
	for (int i = 0; i < ring->nlinks; i++)
		if (ring->links[i]->type == type && strcmp(ring->links[i]->description, desc) == 0)
			return i;
	return -1;
}

/* Links k into ring, displacing a key of the same type and description.
 * A keyring may not come to hold itself (EDEADLK), nor nest deeper than
 * searches go (ELOOP). */
static int keyring_link(struct key *ring, struct key *k)
{
	if (ring->type != TYPE_KEYRING)
		return -ENOTDIR;
	if (link_index(ring, k) >= 0)
		return 0;
	if (k->type == TYPE_KEYRING) {
		visit_generation++;
		if (k == ring || reaches(k, ring, 0))
			return -EDEADLK;
	}
	int same = find_in_ring(ring, k->type, k->description);
	if (same >= 0) {
		ring->links[same] = k;
		return 0;
	}
	if (ring->nlinks == ring->cap) {
		int cap = ring->cap ? ring->cap * 2 : 8;
		struct key **grown = kmalloc(sizeof *grown * (size_t)cap);
		if (!grown)
			return -ENOMEM;
		if (ring->nlinks)
			memcpy(grown, ring->links, sizeof *grown * (size_t)ring->nlinks);
		kfree(ring->links);
		ring->links = grown;
		ring->cap = cap;
	}
	ring->links[ring->nlinks++] = k;
	return 0;
}

/* A search's finding: the first match that is valid and searchable, else
 * why the last match was not (EKEYREVOKED, EKEYEXPIRED, EACCES), else
 * ENOKEY. */
struct search {
	enum key_type type;
	const char *desc;
	bool skip_expired; /* request_key's: an expired key is no answer at all */
	struct key *found;
	int error;
};

static void search_ring(struct key *ring, struct search *s, bool owned, int depth)
{
	if (ring->visit == visit_generation || depth > NEST_MAX)
		return;
	ring->visit = visit_generation;
	for (int i = 0; i < ring->nlinks && !s->found; i++) {
		struct key *k = ring->links[i];
		if (k->type == s->type && strcmp(k->description, s->desc) == 0) {
			int err = key_validate(k);
			if (err == -EKEYEXPIRED && s->skip_expired)
				continue;
			if (!err && !(key_perm(k, owned) & KP_SEARCH))
				err = -EACCES;
			if (err)
				s->error = err;
			else
				s->found = k;
		}
	}
	for (int i = 0; i < ring->nlinks && !s->found; i++) {
		struct key *k = ring->links[i];
		if (k->type == TYPE_KEYRING && !key_validate(k) && (key_perm(k, owned) & KP_SEARCH))
			search_ring(k, s, owned, depth + 1);
	}
}

static bool type_by_name(const char *name, enum key_type *type)
{
	for (int t = 0; t < 3; t++)
		if (strcmp(name, type_names[t]) == 0) {
			*type = (enum key_type)t;
			return true;
		}
	return false;
}

/* Links a found key into dest when asked (it needs LINK), and answers
 * with its serial. */
static long found_into(struct key *k, int32_t dest)
{
	if (dest) {
		int err;
		struct key *ring = key_lookup(dest, LOOKUP_CREATE, KP_WRITE, &err);
		if (!ring)
			return err;
		if ((err = key_permits(k, KP_LINK)) || (err = keyring_link(ring, k)))
			return err;
	}
	return k->serial;
}

/* ---- the calls ---- */

/* Linux's preparse and vet_description checks for each type. */
static int check_new_key(enum key_type type, const char *desc, const void *payload, size_t len)
{
	if (type == TYPE_KEYRING) {
		if (len)
			return -EINVAL;
	} else if (!payload || len == 0 || len > USER_PAYLOAD_MAX) {
		return -EINVAL;
	}
	if (!desc || !*desc)
		return -EINVAL;
	if (type == TYPE_LOGON) {
		const char *colon = strchr(desc, ':');
		if (!colon || colon == desc)
			return -EINVAL;
	}
	return 0;
}

long keys_add(const char *type_name, const char *desc, const void *payload, size_t len, int32_t ring_id)
{
	int err;
	struct key *ring = key_lookup(ring_id, LOOKUP_CREATE, KP_WRITE, &err);
	if (!ring)
		return err;
	enum key_type type;
	if (!type_by_name(type_name, &type))
		return -ENODEV;
	if ((err = check_new_key(type, desc, payload, len)))
		return err;
	if (ring->type != TYPE_KEYRING)
		return -ENOTDIR;
	int same = type == TYPE_KEYRING ? -1 : find_in_ring(ring, type, desc);
	if (same >= 0 && !ring->links[same]->revoked && !ring->links[same]->invalidated) {
		struct key *k = ring->links[same];
		if ((err = key_permits(k, KP_WRITE)) || (err = key_set_payload(k, payload, len)))
			return err;
		k->expiry = 0;
		return k->serial;
	}
	struct key *k = key_alloc(type, desc, cred()->fsuid, cred()->fsgid, default_perm(type), true, len, &err);
	if (!k)
		return err;
	bool displaces = find_in_ring(ring, type, desc) >= 0;
	if ((len && (err = payload_copy(k, payload, len))) || (err = keyring_link(ring, k))) {
		keys_collect(); /* frees the key that went nowhere */
		return err;
	}
	if (displaces)
		keys_collect();
	return k->serial;
}

/* Where request_key puts a key it makes: the default that
 * KEYCTL_SET_REQKEY_KEYRING chose, falling down the list to the first of
 * the caller's keyrings that exists, as Linux's construct_get_dest_keyring. */
static struct key *default_destination(int *err)
{
	struct key *k = NULL;
	switch (current_process()->reqkey_default) {
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		if ((k = key_by_serial(current_thread()->thread_keyring)))
			break;
		/* fall through */
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		if ((k = key_by_serial(current_process()->process_keyring)))
			break;
		/* fall through */
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
		k = session_keyring_or_user();
		break;
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
		k = user_keyring(true, err);
		break;
	case KEY_REQKEY_DEFL_USER_KEYRING:
		k = user_keyring(false, err);
		break;
	}
	if (k && (*err = key_permits(k, KP_WRITE)))
		return NULL;
	return k;
}

/* With no /sbin/request-key to ask, construction always fails: the key
 * is made negative, for NEGATIVE_TIMEOUT seconds, and the caller told
 * ENOKEY. */
static long construct_negative(enum key_type type, const char *desc, struct key *ring)
{
	int err = 0;
	if (!ring && !(ring = default_destination(&err)))
		return err ? err : -ENOKEY;
	struct key *k = key_alloc(type, desc, cred()->fsuid, cred()->fsgid, default_perm(type), true, 0, &err);
	if (!k)
		return err;
	k->negative = true;
	k->expiry = now_seconds() + NEGATIVE_TIMEOUT;
	err = keyring_link(ring, k);
	keys_collect();
	return err ? err : -ENOKEY;
}

long keys_request(const char *type_name, const char *desc, bool callout, int32_t dest)
{
	int err;
	struct key *ring = NULL;
	if (dest && !(ring = key_lookup(dest, LOOKUP_CREATE, KP_WRITE, &err)))
		return err;
	enum key_type type;
	if (!type_by_name(type_name, &type))
		return -ENOKEY;
	struct search s = {.type = type, .desc = desc, .skip_expired = true, .error = -ENOKEY};
	struct key *roots[] = {key_by_serial(current_thread()->thread_keyring),
	                       key_by_serial(current_process()->process_keyring), session_keyring_or_user()};
	visit_generation++;
	for (int i = 0; i < 3 && !s.found; i++)
		if (roots[i])
			search_ring(roots[i], &s, true, 0);
	if (s.found)
		return found_into(s.found, dest);
	if (s.error == -ENOKEY && callout && type != TYPE_KEYRING)
		return construct_negative(type, desc, ring);
	return s.error;
}

long keys_get_keyring_id(int32_t id, int create)
{
	int err;
	struct key *k = key_lookup(id, create ? LOOKUP_CREATE : 0, 0, &err);
	return k ? k->serial : err;
}

long keys_join_session(const char *name)
{
	struct process *p = current_process();
	if (!name)
		return install_session("_ses", POS(KP_ALL) | USR(KP_VIEW | KP_READ));
	if (name[0] == '.')
		return -EPERM; /* the kernel's own keyrings, such as .builtin_trusted_keys */
	for (int b = 0; b < KEY_BUCKETS; b++)
		for (struct key *k = by_serial[b]; k; k = k->hash_next)
			if (k->type == TYPE_KEYRING && strcmp(k->description, name) == 0 && !key_validate(k) &&
			    (key_perm(k, false) & KP_SEARCH)) {
				p->session_keyring = k->serial;
				keys_collect();
				return k->serial;
			}
	return install_session(name, POS(KP_ALL) | USR(KP_VIEW | KP_READ | KP_LINK));
}

long keys_update(int32_t id, const void *payload, size_t len)
{
	int err;
	struct key *k = key_lookup(id, 0, KP_WRITE, &err);
	if (!k)
		return err;
	if (k->type == TYPE_KEYRING)
		return -EOPNOTSUPP;
	return key_set_payload(k, payload, len);
}

long keys_revoke(int32_t id)
{
	int err;
	struct key *k = key_lookup(id, 0, KP_WRITE, &err);
	if (!k && err == -EACCES)
		k = key_lookup(id, 0, KP_SETATTR, &err);
	if (!k)
		return err;
	k->revoked = true;
	if (k->type == TYPE_KEYRING) {
		k->nlinks = 0;
		keys_collect();
	}
	return 0;
}

long keys_chown(int32_t id, uint32_t uid, uint32_t gid)
{
	int err;
	struct key *k = key_lookup(id, LOOKUP_CREATE, KP_SETATTR, &err);
	if (!k)
		return err;
	if (uid == (uint32_t)-1 && gid == (uint32_t)-1)
		return 0;
	if (!is_admin()) {
		if (uid != (uint32_t)-1 && uid != k->uid)
			return -EACCES;
		if (gid != (uint32_t)-1 && gid != k->gid && !cred_in_group(cred(), cred()->fsgid, gid))
			return -EACCES;
	}
	if (uid != (uint32_t)-1 && uid != k->uid) {
		if (k->in_quota) {
			struct key_user *to = key_user_of(uid), *from = key_user_of(k->uid);
			if (!to || !from)
				return -ENOMEM;
			if (charge_quota(to, k->quota_bytes))
				return -EDQUOT;
			from->nkeys--;
			from->nbytes -= k->quota_bytes;
		}
		k->uid = uid;
	}
	if (gid != (uint32_t)-1)
		k->gid = gid;
	return 0;
}

long keys_setperm(int32_t id, uint32_t perm)
{
	if (perm & ~0x3f3f3f3fu)
		return -EINVAL;
	int err;
	struct key *k = key_lookup(id, LOOKUP_CREATE, KP_SETATTR, &err);
	if (!k)
		return err;
	if (k->uid != cred()->fsuid && !is_admin())
		return -EACCES;
	k->perm = perm;
	return 0;
}

long keys_describe(int32_t id, char *out, size_t cap)
{
	int err;
	struct key *k = key_lookup(id, 0, KP_VIEW, &err);
	if (!k)
		return err;
	int n = ksnprintf(out, cap, "%s;%d;%d;%08x;%s", type_names[k->type], (int)k->uid, (int)k->gid, k->perm,
	                 k->description);
	return n + 1;
}

long keys_clear(int32_t ring_id)
{
	int err;
	struct key *ring = key_lookup(ring_id, LOOKUP_CREATE, KP_WRITE, &err);
	if (!ring)
		return err;
	if (ring->type != TYPE_KEYRING)
		return -ENOTDIR;
	ring->nlinks = 0;
	keys_collect();
	return 0;
}

long keys_link(int32_t id, int32_t ring_id)
{
	int err;
	struct key *ring = key_lookup(ring_id, LOOKUP_CREATE, KP_WRITE, &err);
	if (!ring)
		return err;
	struct key *k = key_lookup(id, LOOKUP_CREATE, KP_LINK, &err);
	if (!k)
		return err;
	if ((err = keyring_link(ring, k)))
		return err;
	keys_collect();
	return 0;
}

long keys_unlink(int32_t id, int32_t ring_id)
{
	int err;
	struct key *ring = key_lookup(ring_id, LOOKUP_CREATE, KP_WRITE, &err);
	if (!ring)
		return err;
	struct key *k = key_lookup(id, LOOKUP_NO_VALIDATE, 0, &err);
	if (!k)
		return err;
	if (ring->type != TYPE_KEYRING)
		return -ENOTDIR;
	int i = link_index(ring, k);
	if (i < 0)
		return -ENOENT;
	unlink_at(ring, i);
	keys_collect();
	return 0;
}

long keys_search(int32_t ring_id, const char *type_name, const char *desc, int32_t dest)
{
	int err;
	struct key *ring = key_lookup(ring_id, 0, KP_SEARCH, &err);
	if (!ring)
		return err;
	if (ring->type != TYPE_KEYRING)
		return -ENOTDIR;
	enum key_type type;
	if (!type_by_name(type_name, &type))
		return -ENOKEY;
	struct search s = {.type = type, .desc = desc, .error = -ENOKEY};
	visit_generation++;
	search_ring(ring, &s, possessed(ring), 0);
	if (!s.found)
		return s.error;
	return found_into(s.found, dest);
}

/* Readable with READ permission, or by its possessor when it is possessed
 * but grants only search through a keyring (Linux's fallback). */
long keys_read(int32_t id, void *out, size_t cap)
{
	int err;
	struct key *k = key_lookup(id, LOOKUP_NO_VALIDATE, 0, &err);
	if (!k)
		return err;
	if (key_permits(k, KP_READ) && !possessed(k))
		return -EACCES;
	if (k->type == TYPE_LOGON)
		return -EOPNOTSUPP;
	if ((err = key_validate(k)))
		return err;
	if (k->type != TYPE_KEYRING) {
		if (out && cap >= k->datalen)
			memcpy(out, k->payload, k->datalen);
		return (long)k->datalen;
	}
	size_t len = sizeof(int32_t) * (size_t)k->nlinks;
	if (out && cap >= len)
		for (int i = 0; i < k->nlinks; i++)
			memcpy((char *)out + sizeof(int32_t) * (size_t)i, &k->links[i]->serial, sizeof(int32_t));
	return (long)len;
}

long keys_set_reqkey_keyring(int which)
{
	struct process *p = current_process();
	int old = p->reqkey_default, err;
	switch (which) {
	case KEY_REQKEY_DEFL_NO_CHANGE:
		return old;
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		if (!special_keyring(KEY_SPEC_THREAD_KEYRING, LOOKUP_CREATE, &err))
			return err;
		break;
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		if (!special_keyring(KEY_SPEC_PROCESS_KEYRING, LOOKUP_CREATE, &err))
			return err;
		break;
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_USER_KEYRING:
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
		break;
	default:
		return -EINVAL;
	}
	p->reqkey_default = which;
	return old;
}

long keys_set_timeout(int32_t id, uint32_t seconds)
{
	int err;
	struct key *k = key_lookup(id, LOOKUP_CREATE, KP_SETATTR, &err);
	if (!k)
		return err;
	k->expiry = seconds ? now_seconds() + seconds : 0;
	return 0;
}

/* The key goes from every keyring at once (Linux's collector does it a
 * moment later); nothing finds it any more. */
long keys_invalidate(int32_t id)
{
	int err;
	struct key *k = key_lookup(id, 0, KP_SEARCH, &err);
	if (!k)
		return err;
	k->invalidated = true;
	for (int b = 0; b < KEY_BUCKETS; b++)
		for (struct key *ring = by_serial[b]; ring; ring = ring->hash_next) {
			int i = ring->type == TYPE_KEYRING ? link_index(ring, k) : -1;
			if (i >= 0)
				unlink_at(ring, i);
		}
	keys_collect();
	return 0;
}

long keys_session_to_parent(void)
{
	struct process *p = current_process(), *parent = p->parent;
	int err;
	struct key *ring = key_lookup(KEY_SPEC_SESSION_KEYRING, 0, KP_LINK, &err);
	if (!ring)
		return err;
	if (!parent || parent->pid == 1 || parent->live_threads > 1)
		return -EPERM;
	const struct credentials *them = &parent->cred;
	if (them->euid != cred()->euid || them->suid != cred()->euid || them->ruid != cred()->euid ||
	    them->egid != cred()->egid)
		return -EPERM;
	parent->session_keyring = ring->serial;
	return 0;
}

/* exec keeps the session keyring and drops the thread and process ones. */
static void keys_on_exec(struct process *p)
{
	p->process_keyring = 0;
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		t->thread_keyring = 0;
	keys_collect();
}
PROCESS_EXEC_HOOK(keys_on_exec);

static void keys_on_exit(struct process *p)
{
	p->process_keyring = 0;
	p->session_keyring = 0;
	for (struct thread *t = p->threads; t; t = t->next_in_process)
		t->thread_keyring = 0;
	keys_collect();
}
PROCESS_EXIT_HOOK(keys_on_exit);
