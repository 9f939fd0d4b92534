/* Capabilities (capabilities(7)) of a process that starts as root: the
 * sets capget reports; capset's rules; a capability dropped from the
 * effective set makes the operation it guards fail (chown, open past the
 * mode bits, setuid); the bounding set and its drop surviving exec;
 * setuid and setfsuid away from root clearing the sets, PR_SET_KEEPCAPS
 * keeping them, SECBIT_NOROOT emptying root's sets at exec; /proc/self/status
 * showing the same sets; and ambient capabilities carried across exec by a user
 * that is not root. Each case runs in its own child. Only a few named
 * capabilities are printed, since the host's full set depends on its
 * kernel. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

/* From <linux/capability.h>, <linux/prctl.h> and <linux/securebits.h>,
 * which musl's headers lack. */
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_NET_RAW 13
struct cap_header {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned effective, permitted, inheritable;
};
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_IS_SET 1
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_LOWER 3
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef SECBIT_KEEP_CAPS
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_KEEP_CAPS (1 << 4)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#endif

struct sets {
	unsigned long long effective, permitted, inheritable;
};

static char base[64];
static const char *self;

static const char *at(const char *name)
{
	static char path[2][128];
	static int next;
	char *p = path[next++ % 2];
	snprintf(p, sizeof path[0], "%s/%s", base, name);
	return p;
}

static int cap_get(struct sets *s)
{
	struct cap_header header = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct cap_data data[2];
	int r = (int)syscall(SYS_capget, &header, data);
	s->effective = data[0].effective | (unsigned long long)data[1].effective << 32;
	s->permitted = data[0].permitted | (unsigned long long)data[1].permitted << 32;
	s->inheritable = data[0].inheritable | (unsigned long long)data[1].inheritable << 32;
	return r;
}

static long cap_set(unsigned long long effective, unsigned long long permitted, unsigned long long inheritable)
{
	struct cap_header header = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct cap_data data[2] = {
	    {(unsigned)effective, (unsigned)permitted, (unsigned)inheritable},
	    {(unsigned)(effective >> 32), (unsigned)(permitted >> 32), (unsigned)(inheritable >> 32)}};
	return syscall(SYS_capset, &header, data);
}

#define BIT(cap) (1ull << (cap))

static const struct {
	int cap;
	const char *name;
} shown[] = {{CAP_CHOWN, "chown"},   {CAP_DAC_OVERRIDE, "dac_override"}, {CAP_KILL, "kill"},
             {CAP_SETUID, "setuid"}, {CAP_SETPCAP, "setpcap"},           {CAP_NET_RAW, "net_raw"}};

/* A Cap* line of /proc/self/status, as a number. */
static unsigned long long status_set(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long value = ~0ull;
	size_t len = strlen(name);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, name, len) == 0 && line[len] == ':')
			value = strtoull(line + len + 1, NULL, 16);
	if (f)
		fclose(f);
	return value;
}

/* One line: the ids, then per shown capability the sets that hold it
 * (e p i b a: effective, permitted, inheritable, bounding, ambient). */
static void show(const char *label)
{
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	printf("%s: uid %d euid %d:", label, (int)getuid(), (int)geteuid());
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		unsigned long long bit = BIT(shown[i].cap);
		printf(" %s=%s%s%s%s%s", shown[i].name, s.effective & bit ? "e" : "", s.permitted & bit ? "p" : "",
		       s.inheritable & bit ? "i" : "", prctl(PR_CAPBSET_READ, shown[i].cap) == 1 ? "b" : "",
		       prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, shown[i].cap, 0, 0) == 1 ? "a" : "");
	}
	printf(" effective==permitted %d, empty effective %d\n", s.effective == s.permitted, s.effective == 0);
	printf("  /proc/self/status agrees: %d\n", status_set("CapEff") == s.effective &&
	                                                status_set("CapPrm") == s.permitted &&
	                                                status_set("CapInh") == s.inheritable);
}

/* The exec'd image: shows its sets, and whether it may chown. */
static int after_exec(const char *label)
{
	show(label);
	report("  chown to 1001 after exec", chown(at("mine"), 1001, -1));
	report_value("  keepcaps after exec", prctl(PR_GET_KEEPCAPS));
	return 0;
}

static void exec_self(const char *label)
{
	fflush(stdout);
	execl(self, self, "after-exec", base, label, (char *)NULL);
	require(0, "exec");
}

static void run_child(const char *name, void (*body)(void))
{
	printf("-- %s\n", name);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		body();
		fflush(stdout);
		_exit(0);
	}
	printf("%s: exit %d\n", name, wait_code(pid));
}

static void initial_sets(void)
{
	show("initial");
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	printf("inheritable empty: %d\n", s.inheritable == 0);
	struct cap_header header = {0, 0};
	report("capget, version 0", syscall(SYS_capget, &header, NULL));
	printf("  version it tells: 0x%x\n", header.version);
	header.version = _LINUX_CAPABILITY_VERSION_3;
	header.pid = -1;
	struct cap_data data[2];
	report("capget, pid -1", syscall(SYS_capget, &header, data));
	header.pid = getppid();
	report("capget, the parent", syscall(SYS_capget, &header, data));
	report("capset, the parent", syscall(SYS_capset, &header, data));
	report_value("PR_CAPBSET_READ 9999", prctl(PR_CAPBSET_READ, 9999));
	report_value("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS));
	report_value("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS));
}

static void capset_rules(void)
{
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	report("effective beyond permitted", cap_set(s.permitted | BIT(CAP_CHOWN), s.permitted & ~BIT(CAP_CHOWN), 0));
	report("only chown and kill", cap_set(BIT(CAP_CHOWN), BIT(CAP_CHOWN) | BIT(CAP_KILL), 0));
	report("inheritable beyond permitted, no setpcap", cap_set(BIT(CAP_CHOWN), BIT(CAP_CHOWN), BIT(CAP_SETUID)));
	report("inheritable within permitted", cap_set(BIT(CAP_CHOWN), BIT(CAP_CHOWN) | BIT(CAP_KILL), BIT(CAP_KILL)));
	report("permitted grows", cap_set(0, BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_SETUID), BIT(CAP_KILL)));
	report("drop chown from permitted", cap_set(0, BIT(CAP_KILL), BIT(CAP_KILL)));
	report("raise it back", cap_set(0, BIT(CAP_KILL) | BIT(CAP_CHOWN), BIT(CAP_KILL)));
	show("after capset");
	report("PR_CAPBSET_DROP without setpcap", prctl(PR_CAPBSET_DROP, CAP_NET_RAW));
	report("PR_SET_SECUREBITS without setpcap", prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS));
}

static void guarded_operations(void)
{
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	report("chown with chown", chown(at("mine"), 1000, -1));
	require(chown(at("mine"), 0, -1) == 0, "chown back");
	report("drop chown from effective", cap_set(s.effective & ~BIT(CAP_CHOWN), s.permitted, 0));
	report("chown without chown", chown(at("mine"), 1000, -1));
	report("chown to itself without chown", chown(at("mine"), 0, -1));
	report("open another's 0600 file", open(at("theirs"), O_RDONLY));
	report("drop dac_override and dac_read_search",
	       cap_set(s.effective & ~(BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH)), s.permitted, 0));
	report("open another's 0600 file", open(at("theirs"), O_RDONLY));
	report("open one's own 0600 file", open(at("mine"), O_RDONLY));
	report("drop setuid", cap_set(s.effective & ~BIT(CAP_SETUID), s.permitted, 0));
	report("setuid(1000) without setuid", setuid(1000));
	report("effective back from permitted", cap_set(s.effective, s.permitted, 0));
	report("chown with chown again", chown(at("mine"), 0, -1));
}

static void bounding_across_exec(void)
{
	report("PR_CAPBSET_DROP net_raw", prctl(PR_CAPBSET_DROP, CAP_NET_RAW));
	report_value("PR_CAPBSET_READ net_raw", prctl(PR_CAPBSET_READ, CAP_NET_RAW));
	report("PR_CAPBSET_DROP 9999", prctl(PR_CAPBSET_DROP, 9999));
	show("after the drop");
	exec_self("root after exec");
}

static void setuid_clears(void)
{
	report("setuid(1000)", setuid(1000));
	show("after setuid");
	report("chown", chown(at("mine"), 1000, -1));
	report("setuid(0)", setuid(0));
	exec_self("user after exec");
}

static void setfsuid_drops_fs_caps(void)
{
	setfsuid(1000);
	show("fsuid 1000");
	report("chown", chown(at("mine"), 1000, -1));
	setfsuid(0);
	show("fsuid 0");
	report("seteuid(1000)", seteuid(1000));
	show("euid 1000");
	report("seteuid(0)", seteuid(0));
	show("euid 0 again");
}

static void keepcaps(void)
{
	report("PR_SET_KEEPCAPS 2", prctl(PR_SET_KEEPCAPS, 2));
	report("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1));
	report_value("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS));
	report_value("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS));
	report("setresuid(1000, 1000, 1000)", setresuid(1000, 1000, 1000));
	show("after setuid with keepcaps");
	report("chown before raising effective", chown(at("mine"), 1000, -1));
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	report("effective from permitted", cap_set(s.permitted, s.permitted, 0));
	report("chown after raising effective", chown(at("mine"), 1000, -1));
	exec_self("keepcaps user after exec");
}

static void ambient(void)
{
	report("ambient raise, not inheritable", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	report("inheritable chown", cap_set(s.effective, s.permitted, BIT(CAP_CHOWN)));
	report("ambient raise chown", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
	report("ambient, a bad capability", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 9999, 0, 0));
	report("ambient, arg4 set", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 1, 0));
	report("ambient, a bad op", prctl(PR_CAP_AMBIENT, 99, CAP_CHOWN, 0, 0));
	report("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1));
	report("setresuid(1000, 1000, 1000)", setresuid(1000, 1000, 1000));
	show("user with keepcaps: ambient cleared");
	require(cap_get(&s) == 0, "capget");
	report("ambient raise again", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
	report("ambient raise kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	show("before exec");
	exec_self("ambient user after exec");
}

/* SECBIT_NOROOT: root's exec no longer fills the sets; locked bits stay. */
static void securebits(void)
{
	report("PR_SET_SECUREBITS an unknown bit", prctl(PR_SET_SECUREBITS, 1 << 20));
	report("PR_SET_SECUREBITS keepcaps, locked", prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED));
	report("PR_SET_KEEPCAPS 0 when locked", prctl(PR_SET_KEEPCAPS, 0));
	report("PR_SET_SECUREBITS unlocking", prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS));
	report("PR_SET_SECUREBITS noroot, locked",
	       prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED));
	report_value("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS));
	exec_self("root with noroot after exec");
}

static void ambient_lowered_by_capset(void)
{
	struct sets s;
	require(cap_get(&s) == 0, "capget");
	report("inheritable chown and kill", cap_set(s.effective, s.permitted, BIT(CAP_CHOWN) | BIT(CAP_KILL)));
	report("ambient raise chown", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
	report("ambient raise kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	report("inheritable kill only", cap_set(s.effective, s.permitted, BIT(CAP_KILL)));
	show("after capset");
	report("ambient lower kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL, 0, 0));
	report("ambient raise kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	report("ambient clear all, arg3 set", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
	report("ambient clear all", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
	show("after clear all");
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "after-exec") == 0) {
		snprintf(base, sizeof base, "%s", argv[2]);
		return after_exec(argv[3]);
	}
	self = "/proc/self/exe";
	snprintf(base, sizeof base, "/tmp/capabilities-test-%d", (int)getpid());
	require(mkdir(base, 0755) == 0, "mkdir");
	int fd = open(at("mine"), O_CREAT | O_WRONLY, 0600);
	require(fd >= 0 && close(fd) == 0, "mine");
	fd = open(at("theirs"), O_CREAT | O_WRONLY, 0600);
	require(fd >= 0 && close(fd) == 0 && chown(at("theirs"), 1000, 1000) == 0, "theirs");

	run_child("initial sets", initial_sets);
	run_child("capset rules", capset_rules);
	run_child("operations the capabilities guard", guarded_operations);
	run_child("the bounding set across exec", bounding_across_exec);
	require(chown(at("mine"), 0, 0) == 0, "chown back");
	run_child("setuid clears the sets", setuid_clears);
	run_child("setfsuid and seteuid", setfsuid_drops_fs_caps);
	require(chown(at("mine"), 0, 0) == 0, "chown back");
	run_child("keepcaps", keepcaps);
	require(chown(at("mine"), 0, 0) == 0, "chown back");
	run_child("ambient capabilities across exec", ambient);
	run_child("capset lowers the ambient set", ambient_lowered_by_capset);
	run_child("securebits", securebits);

	unlink(at("mine"));
	unlink(at("theirs"));
	rmdir(base);
	return 0;
}
