/* /sys/devices/system/cpu: online, possible and present as Linux's CPU
 * lists ("0-1"), and a folder cpuN per CPU, which glibc counts for
 * _SC_NPROCESSORS_CONF, added at lookup once the CPUs are up. Every CPU
 * that came up stays online. */
#include "kernel/fs/sysfs_cpu.h"

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/fs/synthetic_tree.h"
#include "kernel/fs/vfs.h"
#include "kernel/strbuf.h"
#include "libc-glue/kformat.h"

static void gen_cpu_list(const struct inode *ino, struct strbuf *out)
{
	(void)ino;
	if (cpu_count == 1)
		strbuf_printf(out, "0\n");
	else
		strbuf_printf(out, "0-%d\n", cpu_count - 1);
}

/* The cpuN folders of the CPUs up now (kernel/arch/x86_64/smp.c). */
static void refresh(struct inode *dir)
{
	for (int i = 0; i < cpu_count; i++) {
		char name[16];
		ksnprintf(name, sizeof name, "cpu%d", i);
		synthetic_dir(dir, name, 0555);
	}
}

void sysfs_cpu_populate(void)
{
	struct inode *sys = synthetic_dir(vfs_root(), "sys", 0555);
	struct inode *devices = sys ? synthetic_dir(sys, "devices", 0555) : NULL;
	struct inode *system = devices ? synthetic_dir(devices, "system", 0555) : NULL;
	struct inode *cpu = system ? synthetic_dir(system, "cpu", 0555) : NULL;
	if (!cpu)
		return;
	synthetic_file(cpu, "online", gen_cpu_list);
	synthetic_file(cpu, "possible", gen_cpu_list);
	synthetic_file(cpu, "present", gen_cpu_list);
	cpu->dir.refresh = refresh;
}
