/* User and group ids. The app is root (uid 0, gid 0), the only user of
 * its machine, and has no supplementary groups. */
#include "kernel/errno.h"
#include "kernel/mm/uaccess.h"

long sys_getuid(void) { return 0; }
long sys_geteuid(void) { return 0; }
long sys_getgid(void) { return 0; }
long sys_getegid(void) { return 0; }

static long three_zeros(unsigned *a, unsigned *b, unsigned *c)
{
	unsigned zero = 0;
	if (copy_to_user(a, &zero, sizeof zero) || copy_to_user(b, &zero, sizeof zero) ||
	    copy_to_user(c, &zero, sizeof zero))
		return -EFAULT;
	return 0;
}

long sys_getresuid(unsigned *ruid, unsigned *euid, unsigned *suid) { return three_zeros(ruid, euid, suid); }
long sys_getresgid(unsigned *rgid, unsigned *egid, unsigned *sgid) { return three_zeros(rgid, egid, sgid); }

long sys_getgroups(int size, unsigned *list)
{
	(void)list;
	return size < 0 ? -EINVAL : 0;
}
