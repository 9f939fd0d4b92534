/* Capability sets and their transitions, see capability.h. The rules and
 * their order follow Linux's security/commoncap.c (cap_capset,
 * cap_emulate_setxuid, cap_task_fix_setuid, cap_bprm_creds_from_file and
 * cap_task_prctl) for files without file capabilities. */
#include "kernel/security/capability.h"

#include <linux/capability.h>
#include <linux/prctl.h>
#include <linux/securebits.h>

#include "kernel/errno.h"
#include "kernel/proc/credentials.h"
#include "kernel/proc/process.h"

#define CAP_ALL ((1ull << (CAP_LAST_CAP + 1)) - 1)
#define BIT(cap) (1ull << (cap))
/* The capabilities that follow the fsuid (Linux's CAP_FS_MASK). */
#define CAP_FS_SET                                                                                                     \
	(BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |       \
	 BIT(CAP_LINUX_IMMUTABLE) | BIT(CAP_MKNOD) | BIT(CAP_MAC_OVERRIDE))

static bool valid_cap(unsigned long cap) { return cap <= CAP_LAST_CAP; }

void capabilities_init(struct capability_sets *caps)
{
	*caps = (struct capability_sets){.effective = CAP_ALL, .permitted = CAP_ALL, .bounding = CAP_ALL};
}

bool cred_capable(const struct credentials *c, int cap) { return !c || (c->caps.effective & BIT(cap)); }

bool capable(int cap) { return cred_capable(&current_process()->cred, cap); }

int capabilities_set(struct credentials *c, uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct capability_sets *s = &c->caps;
	if (!cred_capable(c, CAP_SETPCAP) && (inheritable & ~(s->inheritable | s->permitted)))
		return -EPERM;
	if (inheritable & ~(s->inheritable | s->bounding))
		return -EPERM;
	if (permitted & ~s->permitted)
		return -EPERM;
	if (effective & ~permitted)
		return -EPERM;
	s->effective = effective;
	s->permitted = permitted;
	s->inheritable = inheritable;
	s->ambient &= permitted & inheritable;
	return 0;
}

void capabilities_uids_changed(struct credentials *c, uint32_t old_ruid, uint32_t old_euid, uint32_t old_suid)
{
	struct capability_sets *s = &c->caps;
	if (s->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	bool was_root = old_ruid == 0 || old_euid == 0 || old_suid == 0;
	bool is_root = c->ruid == 0 || c->euid == 0 || c->suid == 0;
	if (was_root && !is_root) {
		if (!(s->securebits & SECBIT_KEEP_CAPS))
			s->permitted = s->effective = 0;
		s->ambient = 0;
	}
	if (old_euid == 0 && c->euid != 0)
		s->effective = 0;
	if (old_euid != 0 && c->euid == 0)
		s->effective = s->permitted;
}

void capabilities_fsuid_changed(struct credentials *c, uint32_t old_fsuid)
{
	struct capability_sets *s = &c->caps;
	if (s->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (old_fsuid == 0 && c->fsuid != 0)
		s->effective &= ~CAP_FS_SET;
	if (old_fsuid != 0 && c->fsuid == 0)
		s->effective |= s->permitted & CAP_FS_SET;
}

void capabilities_for_real_ids(struct credentials *c)
{
	struct capability_sets *s = &c->caps;
	if (!(s->securebits & SECBIT_NO_SETUID_FIXUP))
		s->effective = c->ruid == 0 ? s->permitted : 0;
}

void capabilities_exec(struct credentials *c)
{
	struct capability_sets *s = &c->caps;
	bool root = !(s->securebits & SECBIT_NOROOT) && (c->euid == 0 || c->ruid == 0);
	s->permitted = (root ? s->bounding | s->inheritable : 0) & CAP_ALL;
	s->permitted |= s->ambient;
	s->effective = root && c->euid == 0 ? s->permitted : s->ambient;
	s->securebits &= ~(uint32_t)SECBIT_KEEP_CAPS;
}

/* PR_SET_SECUREBITS: CAP_SETPCAP, no unknown bit, no lock released and no
 * locked bit changed. */
static long set_securebits(struct capability_sets *s, unsigned long bits)
{
	const unsigned long locks = SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
	                            SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	const unsigned long flags = SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS | SECBIT_NO_CAP_AMBIENT_RAISE;
	if ((((s->securebits & locks) >> 1) & (s->securebits ^ bits)) || (s->securebits & locks & ~bits) ||
	    (bits & ~(locks | flags)) || !(s->effective & BIT(CAP_SETPCAP)))
		return -EPERM;
	s->securebits = (uint32_t)bits;
	return 0;
}

static long ambient(struct capability_sets *s, unsigned long op, unsigned long cap, unsigned long arg4,
                    unsigned long arg5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | arg4 | arg5)
			return -EINVAL;
		s->ambient = 0;
		return 0;
	}
	if (!valid_cap(cap) || arg4 || arg5)
		return -EINVAL;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(s->ambient & BIT(cap));
	case PR_CAP_AMBIENT_RAISE:
		if (!(s->permitted & s->inheritable & BIT(cap)) || (s->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		s->ambient |= BIT(cap);
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		s->ambient &= ~BIT(cap);
		return 0;
	default:
		return -EINVAL;
	}
}

bool capabilities_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5,
                        long *result)
{
	struct capability_sets *s = &current_process()->cred.caps;
	switch (option) {
	case PR_CAPBSET_READ:
		*result = valid_cap(arg2) ? !!(s->bounding & BIT(arg2)) : -EINVAL;
		return true;
	case PR_CAPBSET_DROP:
		*result = !capable(CAP_SETPCAP) ? -EPERM : !valid_cap(arg2) ? -EINVAL : 0;
		if (!*result)
			s->bounding &= ~BIT(arg2);
		return true;
	case PR_CAP_AMBIENT:
		*result = ambient(s, arg2, arg3, arg4, arg5);
		return true;
	case PR_GET_KEEPCAPS:
		*result = !!(s->securebits & SECBIT_KEEP_CAPS);
		return true;
	case PR_SET_KEEPCAPS:
		*result = arg2 > 1 ? -EINVAL : (s->securebits & SECBIT_KEEP_CAPS_LOCKED) ? -EPERM : 0;
		if (!*result)
			s->securebits = arg2 ? s->securebits | SECBIT_KEEP_CAPS : s->securebits & ~SECBIT_KEEP_CAPS;
		return true;
	case PR_GET_SECUREBITS:
		*result = s->securebits;
		return true;
	case PR_SET_SECUREBITS:
		*result = set_securebits(s, arg2);
		return true;
	default:
		return false;
	}
}
