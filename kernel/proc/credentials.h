/* Who a process is: its user and group ids, supplementary groups and
 * capabilities, and Linux's rule for group membership that file and IPC
 * permission checks share. */
#ifndef SOLE_CREDENTIALS_H
#define SOLE_CREDENTIALS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/security/capability.h"

#define MAX_GROUPS 64

/* It starts as root, with every capability. */
struct credentials {
	uint32_t ruid, euid, suid, fsuid;
	uint32_t rgid, egid, sgid, fsgid;
	uint32_t groups[MAX_GROUPS];
	int group_count;
	struct capability_sets caps;
};

/* Whether a process whose own group is own_gid belongs to gid: it is that
 * group or a supplementary one. Files count the fsgid (Linux's in_group_p),
 * SysV IPC the egid (in_egroup_p). */
static inline bool cred_in_group(const struct credentials *c, uint32_t own_gid, uint32_t gid)
{
	if (own_gid == gid)
		return true;
	for (int i = 0; i < c->group_count; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

#endif
