/* User and group ids, with Linux's rules for changing them: the app starts
 * as root (uid 0), and root may become anyone; an unprivileged process may
 * only swap among its real, effective and saved ids. The ids are recorded
 * and reported, /proc shows them, and the file system checks permissions
 * against the fsuid, fsgid and groups (kernel/fs/permission.c). */
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

#define KEEP ((uint32_t)-1)

static struct credentials *cred(void) { return &current_process()->cred; }
static bool privileged(void) { return cred()->euid == 0; }

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

/* One id set (uids or gids): real, effective, saved and filesystem. */
struct id_set {
	uint32_t *real, *effective, *saved, *fs;
};

static struct id_set uids(void) { return (struct id_set){&cred()->ruid, &cred()->euid, &cred()->suid, &cred()->fsuid}; }
static struct id_set gids(void) { return (struct id_set){&cred()->rgid, &cred()->egid, &cred()->sgid, &cred()->fsgid}; }

static bool held(struct id_set s, uint32_t id) { return id == *s.real || id == *s.effective || id == *s.saved; }

/* Linux's commit_creds: a process whose effective or filesystem id
 * changed is no longer dumpable (suid_dumpable 0), so that no core file
 * shows what the old ids could read. */
static void ids_changed(struct id_set s, uint32_t old_effective, uint32_t old_fs)
{
	if (*s.effective != old_effective || *s.fs != old_fs)
		current_process()->dumpable = 0;
}

/* setresuid/setresgid: each new id (or KEEP) must be one already held,
 * unless the caller is root. */
static long set_res(struct id_set s, uint32_t r, uint32_t e, uint32_t saved)
{
	if (!privileged() && ((r != KEEP && !held(s, r)) || (e != KEEP && !held(s, e)) ||
			      (saved != KEEP && !held(s, saved))))
		return -EPERM;
	uint32_t old_effective = *s.effective, old_fs = *s.fs;
	if (r != KEEP)
		*s.real = r;
	if (e != KEEP)
		*s.effective = *s.fs = e;
	if (saved != KEEP)
		*s.saved = saved;
	ids_changed(s, old_effective, old_fs);
	return 0;
}

long sys_setresuid(unsigned r, unsigned e, unsigned s) { return set_res(uids(), r, e, s); }
long sys_setresgid(unsigned r, unsigned e, unsigned s) { return set_res(gids(), r, e, s); }

/* setuid: root sets all three; others may only set the effective id to
 * their real or saved one. */
static long set_one(struct id_set s, uint32_t id)
{
	if (id == KEEP)
		return -EINVAL;
	if (privileged())
		return set_res(s, id, id, id);
	if (id != *s.real && id != *s.saved)
		return -EPERM;
	uint32_t old_effective = *s.effective, old_fs = *s.fs;
	*s.effective = *s.fs = id;
	ids_changed(s, old_effective, old_fs);
	return 0;
}

long sys_setuid(unsigned uid) { return set_one(uids(), uid); }
long sys_setgid(unsigned gid) { return set_one(gids(), gid); }

/* setreuid: the saved id follows the new effective one when the real id
 * is set or the effective one moves away from the real one. */
static long set_re(struct id_set s, uint32_t r, uint32_t e)
{
	uint32_t old_real = *s.real;
	if (!privileged() && ((r != KEEP && r != *s.real && r != *s.effective) || (e != KEEP && !held(s, e))))
		return -EPERM;
	long err = set_res(s, r, e, KEEP);
	if (!err && (r != KEEP || (e != KEEP && e != old_real)))
		*s.saved = *s.effective;
	return err;
}

long sys_setreuid(unsigned r, unsigned e) { return set_re(uids(), r, e); }
long sys_setregid(unsigned r, unsigned e) { return set_re(gids(), r, e); }

static long set_fs(struct id_set s, uint32_t id)
{
	long old = *s.fs;
	if (id == (uint32_t)-1)
		return old; /* not an id: Linux only reports the current one */
	if (privileged() || held(s, id) || id == *s.fs) {
		*s.fs = id;
		ids_changed(s, *s.effective, (uint32_t)old);
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
	if (!privileged())
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
