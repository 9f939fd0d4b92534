/* Boot: from the PVH entry to the app's first instruction. */
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/boot_config.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/crash_record.h"
#include "kernel/crypto/wipe.h"
#include "kernel/errno.h"
#include "kernel/fs/devfs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/sysfs_cpu.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/volume.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/aslr.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/wx_check.h"
#include "kernel/panic.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/kernel_lock.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"
#include "kernel/tty/console_tty.h"
#include "libc-glue/kformat.h"
#include "loader/load.h"
#include "platforms/platform.h"
#include "platforms/qemu/pvh.h"

static uint64_t tsc_at_entry;

/* A failure the user can fix (a bad binary, too little memory): one
 * warning line, then the VM ends with the status sole run reports. */
static void __attribute__((noreturn)) boot_fail(int status, const char *fmt, const char *arg)
{
	kwarn(fmt, arg);
	console_send_exit(status);
	platform_poweroff(0);
}

static void find_initrd(const struct pvh_start_info *info, const uint8_t **data, size_t *size)
{
	if (info->nr_modules == 0)
		boot_fail(125, "%s", "no initrd: boot the kernel with sole run (or QEMU's -initrd)");
	const struct pvh_module *mod = phys_to_virt(info->modlist_paddr);
	*data = phys_to_virt(mod->paddr);
	*size = mod->size;
}

static void load_file_tree(const uint8_t *initrd, size_t initrd_size)
{
	const uint8_t *config;
	size_t config_len;
	if (initrd_populate(initrd, initrd_size, &config, &config_len))
		boot_fail(125, "%s", "the initrd is not a valid cpio (newc) archive");
	if (!config || boot_config_parse((const char *)config, config_len))
		boot_fail(125, "%s", "the initrd has no valid boot configuration (.sole-boot)");
	log_set_verbose(boot_config.verbose);
	if (boot_config.no_aslr)
		randomize_va_space = 0;
	devfs_populate();
	procfs_populate();
	sysfs_cpu_populate();
}

/* A lowercase hex digit's value, or -1. */
static int nibble(char c)
{
	static const char digits[] = "0123456789abcdef";
	const char *at = c ? strchr(digits, c) : NULL;
	return at ? (int)(at - digits) : -1;
}

/* Keys the random generator from the boot configuration's seed, which is
 * then wiped from the initrd, and from the CPU's random instructions. */
static void seed_random(void)
{
	uint8_t seed[32];
	size_t len = 0;
	char *hex = (char *)boot_config.random_seed;
	for (; hex && len < sizeof seed; len++) {
		int high = nibble(hex[2 * len]), low = high < 0 ? -1 : nibble(hex[2 * len + 1]);
		if (high < 0 || low < 0)
			break;
		seed[len] = (uint8_t)(high << 4 | low);
	}
	if (hex)
		wipe(hex, strlen(hex));
	bool seeded = random_init(seed, len);
	wipe(seed, sizeof seed);
	if (!seeded)
		boot_fail(125, "%s", "no random source: the boot configuration has no random_seed and the CPU has "
		                     "neither RDSEED nor RDRAND; boot the kernel with sole run");
}

static uint32_t parse_id(const char **at)
{
	uint32_t v = 0;
	for (; **at >= '0' && **at <= '9'; (*at)++)
		v = v * 10 + (uint32_t)(**at - '0');
	return v;
}

/* The host folders of -v, over virtio-9p. Under --user, the host user
 * running sole stands for the app's user there (volume_map_owner). */
static void mount_volumes(void)
{
	if (!boot_config.volume_count)
		return;
	if (boot_config.user && boot_config.volume_owner) {
		const char *host = boot_config.volume_owner, *app = boot_config.user;
		uint32_t host_uid = parse_id(&host), host_gid = *host == ':' ? (host++, parse_id(&host)) : 0;
		uint32_t app_uid = parse_id(&app), app_gid = *app == ':' ? (app++, parse_id(&app)) : 0;
		volume_map_owner(host_uid, host_gid, app_uid, app_gid);
	}
	devices_probe(DEVICES_VOLUMES);
	const char *spec = "";
	int err = volume_mount_all(boot_config.volumes, boot_config.volume_count, &spec);
	if (err) {
		static char message[256];
		ksnprintf(message, sizeof message, "cannot mount the volume %s (error %d)", spec, -err);
		boot_fail(125, "%s", message);
	}
}

static void open_standard_fds(struct process *p)
{
	for (int fd = 0; fd < 3; fd++) {
		struct file *f = devfs_open_console(fd);
		if (!f || fd_install_at(p->files, f, fd, false) < 0)
			boot_fail(137, "%s", "out of memory while opening the console");
		file_put(f);
	}
}

/* sole run --user's "UID:GID:G1,G2": every id of the first process, as
 * docker sets them before it runs the app. */
static void apply_boot_user(struct credentials *c, const char *spec)
{
	const char *at = spec;
	uint32_t uid = parse_id(&at);
	uint32_t gid = *at == ':' ? (at++, parse_id(&at)) : 0;
	c->ruid = c->euid = c->suid = c->fsuid = uid;
	c->rgid = c->egid = c->sgid = c->fsgid = gid;
	c->group_count = 0;
	if (*at == ':')
		at++;
	while (*at >= '0' && *at <= '9' && c->group_count < MAX_GROUPS) {
		c->groups[c->group_count++] = parse_id(&at);
		if (*at == ',')
			at++;
	}
	capabilities_exec(c); /* the sets an exec as this user would give */
}

static void __attribute__((noreturn)) start_app(void)
{
	struct process *p = process_create_init();
	if (!p)
		boot_fail(137, "%s", "out of memory creating the process; run with a larger -m");
	thread_switch_to(p->threads);
	sched_init();

	struct inode *exe;
	if (vfs_lookup(kernel_lookup(), vfs_root(), boot_config.exe, LOOKUP_FOLLOW, &exe) || !S_ISREG(exe->mode))
		boot_fail(127, "%s: not found in the initrd", boot_config.exe);
	p->exe_path = boot_config.exe;
	if (boot_config.user)
		apply_boot_user(&p->cred, boot_config.user);
	struct inode *cwd;
	if (!vfs_lookup(kernel_lookup(), vfs_root(), boot_config.cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &cwd)) {
		inode_put(p->fs->cwd);
		p->fs->cwd = cwd;
		inode_get(cwd);
	}
	console_tty_start(p);
	open_standard_fds(p);

	struct loaded_image image;
	const char *error = "";
	int err = load_elf(p, exe, boot_config.exe, &image, &error);
	if (err == -ENOEXEC) {
		static char message[256];
		ksnprintf(message, sizeof message, "%s: %s", boot_config.exe, error);
		boot_fail(126, "%s", message);
	}
	uint64_t sp = err ? 0
	                  : build_initial_stack(p, &image, boot_config.exe, boot_config.argv, boot_config.argc,
	                                        boot_config.envp, boot_config.envc);
	if (!sp)
		boot_fail(137, "%s", "out of memory while loading the app; run it with a larger -m");
	klog("boot: %s at entry 0x%llx, %zu of %zu pages free", boot_config.exe, (unsigned long long)image.entry,
	     page_free_count(), page_total_count());
	klog("boot: kernel entry to app in %llu us",
	     (unsigned long long)((rdtsc() - tsc_at_entry) * 1000000 / time_tsc_hz()));

	struct trap_frame *f = (struct trap_frame *)(current_thread()->kernel_stack_top - sizeof *f);
	memset(f, 0, sizeof *f);
	f->rip = image.start;
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->rsp = sp;
	f->rflags = RFLAGS_IF | 0x2;
	if (boot_config.test_kernel_panic)
		panic("deliberate kernel panic before entering the app (sole run --test-kernel-panic)");
	cputime_skip(); /* the app's CPU time starts with its first instruction */
	kernel_unlock();
	trap_return_to(f);
}

void kmain(uint32_t start_info_phys)
{
	tsc_at_entry = rdtsc();
	console_init();
	panic_set_reporter(crash_record_kernel_panic);
	pic_disable();
	percpu_init_boot();
	idt_init();
	cpu_setup();

	const struct pvh_start_info *info = phys_to_virt(start_info_phys);
	if (info->magic != PVH_START_MAGIC)
		panic("not started through PVH (start_info magic 0x%x)", info->magic);
	cmdline_init(info->cmdline_paddr ? phys_to_virt(info->cmdline_paddr) : NULL);
	const uint8_t *initrd;
	size_t initrd_size;
	find_initrd(info, &initrd, &initrd_size);
	page_init(info, virt_to_phys(initrd), virt_to_phys(initrd) + initrd_size);
	paging_init();
	time_init_begin();
	load_file_tree(initrd, initrd_size);
	seed_random();
	time_init_finish();
	/* After the PIT's calibration window, which must stay short. */
	devices_probe(DEVICES_CONSOLE); /* the console leaves the slow UART */
	devices_probe(DEVICES_ENTROPY); /* virtio-rng, where attached: more for the random generator */
	console_line_probed();
	mount_volumes();
	if (boot_config.test_wx_violation)
		wx_check_break_on_purpose();
	wx_check(); /* after the last boot-time kernel mapping */
	smp_start(info->rsdp_paddr);
	start_app();
}
