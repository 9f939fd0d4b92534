/* uname, sysinfo, getrandom and the scheduler queries. */
#include <linux/random.h>
#include <linux/sysinfo.h>
#include <linux/utsname.h>
#include <string.h>

#include "kernel/boot_config.h"
#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"
#include "syscalls/uts.h"

#define SOLE_RELEASE "6.1.0-sole"
#define SOLE_VERSION "#1 SMP sole 0.1.0"

/* The names sethostname and setdomainname change; the boot configuration
 * gives the first host name. */
static char node_name[__NEW_UTS_LEN + 1];
static char domain_name[__NEW_UTS_LEN + 1] = "(none)";

const char *uts_hostname(void)
{
	if (!node_name[0])
		strncpy(node_name, boot_config.hostname, __NEW_UTS_LEN);
	return node_name;
}

static long set_name(char *dst, const char *user_name, int len)
{
	if (current_process()->cred.euid != 0)
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	char name[__NEW_UTS_LEN + 1] = {0};
	if (copy_from_user(name, user_name, (size_t)len))
		return -EFAULT;
	memcpy(dst, name, sizeof name);
	return 0;
}

long sys_sethostname(const char *name, int len)
{
	uts_hostname();
	return set_name(node_name, name, len);
}
long sys_setdomainname(const char *name, int len) { return set_name(domain_name, name, len); }

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
	set_field(u.release, SOLE_RELEASE);
	set_field(u.version, SOLE_VERSION);
	set_field(u.machine, "x86_64");
	set_field(u.domainname, domain_name);
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

long sys_sched_getaffinity(int pid, unsigned len, unsigned long *mask)
{
	if (pid != 0 && pid != 1)
		return -ESRCH;
	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	unsigned long one_cpu = 1;
	return copy_to_user(mask, &one_cpu, sizeof one_cpu) ? -EFAULT : (long)sizeof one_cpu;
}
