/* User and group ids, with Linux's rules for changing them: the app starts
 * as root (uid 0), and CAP_SETUID (CAP_SETGID) may take any uid (gid); a
 * process without may only swap among its real, effective and saved ids.
 * The capability sets follow the uids (kernel/security/capability.c).
 * The ids are recorded and reported, /proc shows them, and the file
 * system checks permissions against the fsuid, fsgid and groups
 * (kernel/fs/permission.c). */
#include <linux/capability.h>

#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/security/capability.h"

#define KEEP ((uint32_t)-1)

static struct credentials *cred(void) { return &current_process()->cred; }

long sys_getuid(void) { return cred()->ruid; }
long sys_geteuid(void) { return cred()->euid; }
long sys_getgid(void) { return cred()->rgid; }
long sys_getegid(void) { return cred()->egid; }

static long copy_three(unsigned *a, unsigned *b, unsigned *c, uint32_t va, uint32_t vb, uint32_t vc)
{
	if (copy_to_user(a, &va, sizeof va) || copy_to_user(b, &vb, sizeof vb) || copy_to_user(c, &vc, sizeof vc))
		return -EFAULT;
	return 0;
}

long sys_getresuid(unsigned *r, unsigned *e, unsigned *s)
{
	return copy_three(r, e, s, cred()->ruid, cred()->euid, cred()->suid);
}
long sys_getresgid(unsigned *r, unsigned *e, unsigned *s)
{
	return copy_three(r, e, s, cred()->rgid, cred()->egid, cred()->sgid);
}

/* One id set (uids or gids): real, effective, saved and filesystem, and
 * the capability that lets a caller take any id of the set. */
struct id_set {
	uint32_t *real, *effective, *saved, *fs;
	int capability; /* CAP_SETUID or CAP_SETGID */
};

static struct id_set uids(void)
{
	return (struct id_set){&cred()->ruid, &cred()->euid, &cred()->suid, &cred()->fsuid, CAP_SETUID};
}
static struct id_set gids(void)
{
	return (struct id_set){&cred()->rgid, &cred()->egid, &cred()->sgid, &cred()->fsgid, CAP_SETGID};
}

static bool privileged(struct id_set s) { return capable(s.capability); }

static bool held(struct id_set s, uint32_t id) { return id == *s.real || id == *s.effective || id == *s.saved; }

/* Linux's commit_creds after a change from old: a process whose
 * effective or filesystem id changed is no longer dumpable (suid_dumpable
 * 0), so that no core file shows what the old ids could read; and the
 * capabilities follow the uids (cap_task_fix_setuid). */
static void ids_changed(const struct credentials *old, bool fs_only)
{
	struct credentials *c = cred();
	if (c->euid != old->euid || c->fsuid != old->fsuid || c->egid != old->egid || c->fsgid != old->fsgid)
		current_process()->dumpable = 0;
	if (fs_only)
		capabilities_fsuid_changed(c, old->fsuid);
	else
		capabilities_uids_changed(c, old->ruid, old->euid, old->suid);
}

/* Sets the ids that are not KEEP; the filesystem id follows the effective. */
static void apply(struct id_set s, uint32_t r, uint32_t e, uint32_t saved)
{
	struct credentials old = *cred();
	if (r != KEEP)
		*s.real = r;
	if (e != KEEP)
		*s.effective = *s.fs = e;
	if (saved != KEEP)
		*s.saved = saved;
	ids_changed(&old, false);
}

/* setresuid/setresgid: each new id (or KEEP) must be one already held,
 * unless the caller has the set's capability. */
static long set_res(struct id_set s, uint32_t r, uint32_t e, uint32_t saved)
{
	if (!privileged(s) && ((r != KEEP && !held(s, r)) || (e != KEEP && !held(s, e)) ||
			       (saved != KEEP && !held(s, saved))))
		return -EPERM;
	apply(s, r, e, saved);
	return 0;
}

long sys_setresuid(unsigned r, unsigned e, unsigned s) { return set_res(uids(), r, e, s); }
long sys_setresgid(unsigned r, unsigned e, unsigned s) { return set_res(gids(), r, e, s); }

/* setuid: a caller with the capability sets all three; others may only
 * set the effective id to their real or saved one. */
static long set_one(struct id_set s, uint32_t id)
{
	if (id == KEEP)
		return -EINVAL;
	if (privileged(s))
		return set_res(s, id, id, id);
	if (id != *s.real && id != *s.saved)
		return -EPERM;
	apply(s, KEEP, id, KEEP);
	return 0;
}

long sys_setuid(unsigned uid) { return set_one(uids(), uid); }
long sys_setgid(unsigned gid) { return set_one(gids(), gid); }

/* setreuid: the saved id follows the new effective one when the real id
 * is set or the effective one moves away from the real one. */
static long set_re(struct id_set s, uint32_t r, uint32_t e)
{
	if (!privileged(s) && ((r != KEEP && r != *s.real && r != *s.effective) || (e != KEEP && !held(s, e))))
		return -EPERM;
	uint32_t effective = e != KEEP ? e : *s.effective;
	bool saved_follows = r != KEEP || (e != KEEP && e != *s.real);
	apply(s, r, e, saved_follows ? effective : KEEP);
	return 0;
}

long sys_setreuid(unsigned r, unsigned e) { return set_re(uids(), r, e); }
long sys_setregid(unsigned r, unsigned e) { return set_re(gids(), r, e); }

static long set_fs(struct id_set s, uint32_t id)
{
	long old = *s.fs;
	if (id == (uint32_t)-1)
		return old; /* not an id: Linux only reports the current one */
	if (privileged(s) || held(s, id) || id == *s.fs) {
		struct credentials before = *cred();
		*s.fs = id;
		ids_changed(&before, true);
	}
	return old;
}

long sys_setfsuid(unsigned uid) { return set_fs(uids(), uid); }
long sys_setfsgid(unsigned gid) { return set_fs(gids(), gid); }

long sys_getgroups(int size, unsigned *list)
{
	int count = cred()->group_count;
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return count;
	if (size < count)
		return -EINVAL;
	return copy_to_user(list, cred()->groups, (size_t)count * sizeof(uint32_t)) ? -EFAULT : count;
}

long sys_setgroups(int size, const unsigned *list)
{
	if (!capable(CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > 65536)
		return -EINVAL;
	uint32_t groups[MAX_GROUPS];
	for (int at = 0; at < size; at += MAX_GROUPS) { /* the whole list must be readable, as Linux reads it first */
		int n = size - at < MAX_GROUPS ? size - at : MAX_GROUPS;
		if (copy_from_user(groups, list + at, (size_t)n * sizeof(uint32_t)))
			return -EFAULT;
	}
	if (size > MAX_GROUPS)
		return -ENOMEM; /* more supplementary groups than sole keeps */
	/* size <= MAX_GROUPS: the loop's one pass left the whole list in groups */
	for (int i = 0; i < size; i++)
		cred()->groups[i] = groups[i];
	cred()->group_count = size;
	return 0;
}
