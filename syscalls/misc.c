/* uname, sysinfo, getrandom and sched_yield. */
#include <linux/random.h>
#include <linux/sysinfo.h>
#include <linux/utsname.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "kernel/sched/sched.h"
#include "kernel/security/capability.h"
#include "kernel/time.h"
#include "kernel/uts.h"

/* sethostname and setdomainname: CAP_SYS_ADMIN only, at most __NEW_UTS_LEN bytes. */
static long copy_name(char *name, const char *user_name, int len)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	return copy_from_user(name, user_name, (size_t)len) ? -EFAULT : 0;
}

long sys_sethostname(const char *user_name, int len)
{
	char name[__NEW_UTS_LEN + 1];
	long err = copy_name(name, user_name, len);
	if (!err)
		uts_set_hostname(name, (size_t)len);
	return err;
}

long sys_setdomainname(const char *user_name, int len)
{
	char name[__NEW_UTS_LEN + 1];
	long err = copy_name(name, user_name, len);
	if (!err)
		uts_set_domainname(name, (size_t)len);
	return err;
}

static void set_field(char *dst, const char *src)
{
	strncpy(dst, src, __NEW_UTS_LEN);
	dst[__NEW_UTS_LEN] = 0;
}

long sys_uname(struct new_utsname *buf)
{
	struct new_utsname u;
	memset(&u, 0, sizeof u);
	set_field(u.sysname, "Linux");
	set_field(u.nodename, uts_hostname());
	set_field(u.release, UTS_RELEASE);
	set_field(u.version, UTS_VERSION);
	set_field(u.machine, "x86_64");
	set_field(u.domainname, uts_domainname());
	return copy_to_user(buf, &u, sizeof u) ? -EFAULT : 0;
}

long sys_sysinfo(struct sysinfo *user_info)
{
	struct sysinfo si;
	memset(&si, 0, sizeof si);
	si.uptime = (long)(time_monotonic_ns() / 1000000000ull);
	si.totalram = page_total_count() * PAGE_SIZE;
	si.freeram = page_free_count() * PAGE_SIZE;
	si.procs = 1;
	si.mem_unit = 1;
	return copy_to_user(user_info, &si, sizeof si) ? -EFAULT : 0;
}

long sys_getrandom(void *buf, size_t len, unsigned flags)
{
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return -EINVAL;
	if (len > 0x1ffffff)
		len = 0x1ffffff; /* Linux's cap for one call */
	return random_fill_buf(user_buf(buf), len);
}

long sys_sched_yield(void)
{
	sched_yield();
	return 0;
}
