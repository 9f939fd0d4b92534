/* The flags of `sole run`: one table that drives both the parser and the help
 * text, following docker's conventions (-m, -e, -w, -p, -v). */
#include "run_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "diag.h"
#include "exit_codes.h"
#include "paths.h"
#include "terminfo.h"
#include "xalloc.h"

#define MEBIBYTE (UINT64_C(1) << 20)
#define DEFAULT_MEMORY (64 * MEBIBYTE)
#define MINIMUM_MEMORY (2 * MEBIBYTE)

enum run_flag_id {
	FLAG_MEMORY,
	FLAG_CPUS,
	FLAG_ENV,
	FLAG_COPY,
	FLAG_WORKDIR,
	FLAG_USER,
	FLAG_TRACE,
	FLAG_SYSCALL_SUMMARY,
	FLAG_MISSING_FILES,
	FLAG_NO_SHELL,
	FLAG_INIT,
	FLAG_SIG_PROXY,
	FLAG_VERBOSE,
	FLAG_NO_SANDBOX,
	FLAG_NO_ASLR,
	FLAG_ACCEL,
	FLAG_MACHINE,
	FLAG_KERNEL,
	FLAG_GDB,
	FLAG_CORE,
	FLAG_STATS_FILE,
	FLAG_TEST_KERNEL_PANIC,
	FLAG_TEST_WX_VIOLATION,
	FLAG_PUBLISH,
	FLAG_NET,
	FLAG_IP,
	FLAG_GATEWAY,
	FLAG_DNS,
	FLAG_MAC,
	FLAG_VOLUME,
	FLAG_ROOTFS,
	FLAG_READ_ONLY,
	FLAG_HOSTNAME,
	FLAG_INTERACTIVE,
	FLAG_TTY,
	FLAG_HELP,
	FLAG_COUNT
};

struct run_flag {
	char short_name; /* 0: only the long form exists */
	const char *long_name;
	const char *value_name; /* NULL: the flag takes no value */
	const char *help;       /* NULL: a test-only flag, left out of --help */
	bool value_optional;    /* the value comes only as --flag=VALUE */
};

#define DEFAULT_GDB_PORT 1234

static const struct run_flag run_flags[FLAG_COUNT] = {
    [FLAG_MEMORY] = {'m', "memory", "SIZE", "guest memory, with a K, M or G suffix (default 64M)"},
    [FLAG_CPUS] = {0, "cpus", "N",
                   "virtual CPUs, 1 to 64 (default 1; a fraction, as docker takes it,\n"
                   "rounds up): the app's threads and processes run on all of them"},
    [FLAG_ENV] = {'e', "env", "K=V",
                  "set K=V in the app's environment; -e K takes the host's value\n"
                  "(repeatable; the default is PATH=... and HOME=/root)"},
    [FLAG_COPY] = {0, "copy", "SRC[:DEST]",
                   "copy a host file or folder into the VM at DEST, or at the same\n"
                   "path when DEST is left out (relative paths go under /; repeatable)"},
    [FLAG_WORKDIR] = {'w', "workdir", "DIR", "the app's working directory (default /)"},
    [FLAG_USER] = {'u', "user", "USER[:GROUP]",
                   "run the app as this user and group, each a name or a number (default\n"
                   "root); a name only the host knows is added to the VM's /etc/passwd;\n"
                   "with --rootfs, names are the image's (its /etc/passwd and /etc/group)"},
    [FLAG_TRACE] = {0, "trace", NULL, "show every syscall strace-style on stderr"},
    [FLAG_SYSCALL_SUMMARY] = {0, "syscall-summary", "[=FILE]",
                              "at exit, print a table like strace -c on stderr (or write it to\n"
                              "FILE): calls, errors, ENOSYS answers and time per syscall",
                              .value_optional = true},
    [FLAG_MISSING_FILES] = {0, "missing-files", NULL,
                            "at exit, list every path the app tried to open or run that is not\n"
                            "in the VM (add what it needs with --copy)"},
    [FLAG_INIT] = {0, "init", NULL,
                   "run sole-init as pid 1 and the app as its child, as docker's --init:\n"
                   "signals are passed on, orphans reaped, the app's status kept"},
    [FLAG_SIG_PROXY] = {0, "sig-proxy", NULL,
                        "pass the signals sole receives (SIGINT, SIGTERM, SIGHUP, SIGUSR1, ...,\n"
                        "the real-time ones; not SIGKILL, which stops the VM) on to the app\n"
                        "(pid 1 in the VM) instead of stopping the VM, as docker run does"},
    [FLAG_NO_SHELL] = {0, "no-shell", NULL,
                       "leave out the host's /bin/sh, which the VM otherwise gets with its\n"
                       "libraries, so that system(), popen() and scripts work"},
    [FLAG_VERBOSE] = {0, "verbose", NULL, "show the kernel log and the QEMU command line on stderr"},
    [FLAG_NO_SANDBOX] = {0, "no-sandbox", NULL,
                         "run QEMU without its seccomp sandbox (which denies it set*uid,\n"
                         "fork, exec and obsolete syscalls) and with sole's own ids (as root,\n"
                         "QEMU otherwise runs as nobody, or as the owner of the -v folders)"},
    [FLAG_NO_ASLR] = {0, "no-aslr", NULL,
                      "lay every process out at Linux's fixed addresses instead of random\n"
                      "ones, for runs that repeat exactly (as setarch -R; --gdb implies it)"},
    [FLAG_ACCEL] = {0, "accel", "auto|tcg|kvm",
                    "the accelerator; auto picks kvm only where /dev/kvm opens and\n"
                    "the CPU has vmx or svm (default auto)"},
    [FLAG_MACHINE] = {0, "machine", "microvm|pc", "the QEMU machine type (default microvm)"},
    [FLAG_KERNEL] = {0, "kernel", "PATH",
                     "boot this sole kernel ELF instead of the installed one\n"
                     "(also: the SOLE_KERNEL environment variable)"},
    [FLAG_GDB] = {0, "gdb", "[=PORT]",
                  "start QEMU's gdb stub on 127.0.0.1:PORT (default 1234), wait for\n"
                  "gdb before booting, and print the gdb command to attach; ASLR is\n"
                  "off, as when gdb starts a program",
                  .value_optional = true},
    [FLAG_CORE] = {0, "core", "FILE",
                   "if the app or the kernel crashes, also write the crash record to\n"
                   "FILE; 'sole symbolize FILE' prints the report again"},
    [FLAG_STATS_FILE] = {0, "stats-file", "FILE",
                         "write a line to FILE once a second while the app makes syscalls:\n"
                         "uptime_ms=U free_pages=F total_pages=T, the guest kernel's free\n"
                         "and total 4 KiB pages (to watch the VM's memory over time)"},
    [FLAG_TEST_KERNEL_PANIC] = {0, "test-kernel-panic", NULL, NULL},
    [FLAG_TEST_WX_VIOLATION] = {0, "test-wx-violation", NULL, NULL},
    [FLAG_PUBLISH] = {'p', "publish", "[IP:]HOST:GUEST",
                      "publish a guest port: connections to the host's IP:HOST (default\n"
                      "127.0.0.1) reach the guest's port GUEST; add /udp for UDP (repeatable;\n"
                      "needs --net user)"},
    [FLAG_NET] = {0, "net", "user|tap:NAME|none",
                  "the VM's network: QEMU's user network, no root needed, the guest\n"
                  "at 10.0.2.15/24 (default); the existing tap device NAME, the guest\n"
                  "at --ip (bench/netns-tap makes one); or none, no network device"},
    [FLAG_IP] = {0, "ip", "ADDR/PREFIX", "the guest's address with --net tap (default 192.168.100.2/24)"},
    [FLAG_GATEWAY] = {0, "gateway", "ADDR",
                      "the guest's gateway with --net tap (default: the first address of\n"
                      "the --ip subnet, 192.168.100.1)"},
    [FLAG_DNS] = {0, "dns", "ADDR",
                  "the DNS server the guest asks, also in its /etc/resolv.conf\n"
                  "(default: QEMU's 10.0.2.3 with --net user, the gateway with tap)"},
    [FLAG_MAC] = {0, "mac", "ADDR", "the guest network device's MAC address (default QEMU's 52:54:00:12:34:56)"},
    [FLAG_VOLUME] = {'v', "volume", "HOSTPATH:PATH[:ro]",
                     "share the host folder or file HOSTPATH with the VM at PATH (virtio-9p):\n"
                     "what the app writes there stays on the host; :ro makes it read-only\n"
                     "(a file is shared through a link in a folder made beside it, removed\n"
                     "at exit; repeatable)"},
    [FLAG_ROOTFS] = {0, "rootfs", "DIR",
                     "boot with the image folder DIR (a container's root file system) as\n"
                     "the VM's root, shared over virtio-9p: BINARY, PATH and the libraries\n"
                     "are the image's, writes land in DIR; /dev, /proc and /tmp are sole's"},
    [FLAG_READ_ONLY] = {0, "read-only", NULL, "with --rootfs: the image folder is read-only in the VM"},
    [FLAG_HOSTNAME] = {0, "hostname", "NAME", "the VM's host name, as uname -n and /etc/hostname show it (default sole)"},
    [FLAG_INTERACTIVE] = {'i', "interactive", NULL,
                          "keep stdin attached: what sole reads on stdin reaches the app,\n"
                          "then EOF (without -i the app's stdin is empty, as docker's)"},
    [FLAG_TTY] = {'t', "tty", NULL,
                  "give the app a terminal: its stdin, stdout and stderr are the VM's\n"
                  "console tty, with line editing, ^C and ^Z, job control and the host\n"
                  "terminal's size; with -i, sole's stdin must be a terminal, which stays\n"
                  "in raw mode while the VM runs (-it, as docker run -it)"},
    [FLAG_HELP] = {'h', "help", NULL, "show this help"},
};

static const char *const accel_names[] = {[ACCEL_AUTO] = "auto", [ACCEL_TCG] = "tcg", [ACCEL_KVM] = "kvm"};
static const char *const machine_names[] = {[MACHINE_MICROVM] = "microvm", [MACHINE_PC] = "pc"};

static const char *const default_environment[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME=/root",
};

/* A flag found on the command line: which one, how it was spelled, its value. */
struct flag_use {
	enum run_flag_id id;
	char *spelled; /* "-m" or "--memory", for messages */
	const char *value;
	bool value_inline;
};

bool parse_memory_size(const char *text, uint64_t *bytes)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return false;
	unsigned long long number = strtoull(text, &end, 10);
	int shift = 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	}
	/* docker also accepts 64MB, 64MiB and 64b */
	if (strcasecmp(end, "b") == 0 || (shift && strcasecmp(end, "ib") == 0))
		end += strlen(end);
	if (*end != '\0' || number > (UINT64_MAX >> shift))
		return false;
	*bytes = (uint64_t)number << shift;
	return true;
}

void environment_set(struct string_list *env, const char *key_value)
{
	size_t key_length = strcspn(key_value, "=");

	for (size_t i = 0; i < env->count; i++) {
		if (strncmp(env->items[i], key_value, key_length) == 0 && env->items[i][key_length] == '=') {
			free(env->items[i]);
			env->items[i] = xstrdup(key_value);
			return;
		}
	}
	string_list_append(env, key_value);
}

static int apply_env(struct run_options *options, const struct flag_use *use)
{
	if (use->value[0] == '=' || use->value[0] == '\0') {
		sole_error("%s '%s': the variable name is missing; use %s NAME=VALUE", use->spelled, use->value,
		           use->spelled);
		return EXIT_SOLE_ERROR;
	}
	if (strchr(use->value, '=')) {
		environment_set(&options->env, use->value);
		return 0;
	}
	const char *host_value = getenv(use->value);
	if (host_value) { /* like docker, an unset host variable is left out */
		char *key_value = xasprintf("%s=%s", use->value, host_value);
		environment_set(&options->env, key_value);
		free(key_value);
	}
	return 0;
}

static int apply_memory(struct run_options *options, const struct flag_use *use)
{
	uint64_t bytes;

	if (!parse_memory_size(use->value, &bytes)) {
		sole_error("%s '%s': not a size; use a number with a K, M or G suffix, like %s 64M", use->spelled,
		           use->value, use->spelled);
		return EXIT_SOLE_ERROR;
	}
	if (bytes < MINIMUM_MEMORY) {
		sole_error("%s '%s': too small; the VM needs at least 2M (sizes without a suffix are bytes)",
		           use->spelled, use->value);
		return EXIT_SOLE_ERROR;
	}
	options->memory_bytes = bytes;
	return 0;
}

/* --cpus N: docker's flag. docker takes a share of the host's CPU time, so
 * 1.5 is allowed; a VM has whole CPUs, so it rounds up. */
static int apply_cpus(struct run_options *options, const struct flag_use *use)
{
	char *end;
	errno = 0;
	double cpus = strtod(use->value, &end);
	if (errno || end == use->value || *end != '\0' || !(cpus > 0) || cpus > MAXIMUM_CPUS) {
		sole_error("%s '%s': not a CPU count; use a number from 1 to %d, like %s 2", use->spelled, use->value,
		           MAXIMUM_CPUS, use->spelled);
		return EXIT_SOLE_ERROR;
	}
	options->cpus = (int)cpus;
	if (options->cpus < cpus)
		options->cpus++;
	return 0;
}

/* --copy PATH, or --copy SRC:DEST (split at the first ':'). */
static int apply_copy(struct run_options *options, const struct flag_use *use)
{
	const char *colon = strchr(use->value, ':');
	char *source = colon ? xasprintf("%.*s", (int)(colon - use->value), use->value) : xstrdup(use->value);
	const char *destination = colon ? colon + 1 : source;

	if (source[0] == '\0' || destination[0] == '\0') {
		sole_error("%s '%s': the %s is empty; use %s SRC:DEST or %s PATH", use->spelled, use->value,
		           source[0] ? "DEST" : "SRC", use->spelled, use->spelled);
		free(source);
		return EXIT_SOLE_ERROR;
	}
	options->copies = xrealloc(options->copies, (options->copy_count + 1) * sizeof(*options->copies));
	options->copies[options->copy_count++] = (struct copy_request){
	    .as_typed = use->value,
	    .guest_path = path_normalise_in_guest(destination),
	    .host_path = source,
	};
	return 0;
}

/* -v HOSTDIR:DIR[:ro|:rw], docker's syntax for a bind mount. */
static int apply_volume(struct run_options *options, const struct flag_use *use)
{
	const char *value = use->value;
	const char *colon = strchr(value, ':');
	if (!colon || colon == value || colon[1] == '\0') {
		sole_error("%s '%s': give a host folder and a path in the VM, like %s \"$PWD/data:/data\"",
		           use->spelled, value, use->spelled);
		return EXIT_SOLE_ERROR;
	}
	const char *guest = colon + 1;
	const char *mode = strrchr(guest, ':');
	bool read_only = false;
	if (mode && (strcmp(mode, ":ro") == 0 || strcmp(mode, ":rw") == 0)) {
		read_only = mode[1] == 'r' && mode[2] == 'o';
	} else if (mode) {
		sole_error("%s '%s': unknown option '%s'; the options are ro and rw", use->spelled, value, mode + 1);
		return EXIT_SOLE_ERROR;
	} else {
		mode = guest + strlen(guest);
	}
	char *host = xasprintf("%.*s", (int)(colon - value), value);
	char *guest_path = xasprintf("%.*s", (int)(mode - guest), guest);
	char *resolved = realpath(host, NULL);
	struct stat info;
	int status = EXIT_SOLE_ERROR;
	if (guest_path[0] != '/')
		sole_error("%s '%s': the path in the VM must be absolute, like %s %s:/%s", use->spelled, value,
		           use->spelled, host, guest_path);
	else if (!resolved || stat(resolved, &info) != 0)
		sole_error("%s '%s': %s does not exist on the host", use->spelled, value, host);
	else if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode))
		sole_error("%s '%s': %s is neither a folder nor a regular file; a volume shares one of those",
		           use->spelled, value, host);
	else
		status = 0;
	if (status == 0) {
		options->volumes = xrealloc(options->volumes, (options->volume_count + 1) * sizeof(*options->volumes));
		options->volumes[options->volume_count++] = (struct volume_request){
		    .as_typed = value,
		    .host_path = resolved,
		    .guest_path = path_normalise_in_guest(guest_path),
		    .read_only = read_only,
		    .file = S_ISREG(info.st_mode),
		};
		resolved = NULL;
	}
	free(resolved);
	free(guest_path);
	free(host);
	return status;
}

static bool path_is_within(const char *path, const char *folder)
{
	size_t n = strlen(folder);
	return strncmp(path, folder, n) == 0 && (path[n] == '\0' || path[n] == '/' || strcmp(folder, "/") == 0);
}

static int apply_rootfs(struct run_options *options, const struct flag_use *use)
{
	char *resolved = realpath(use->value, NULL);
	struct stat info;
	if (!resolved || stat(resolved, &info) != 0 || !S_ISDIR(info.st_mode)) {
		sole_error("%s '%s': %s", use->spelled, use->value,
		           resolved ? "not a folder; give the image's root folder" : "no such folder");
		free(resolved);
		return EXIT_SOLE_ERROR;
	}
	free(options->rootfs);
	options->rootfs = resolved;
	return 0;
}

/* --rootfs: the image folder is the first volume, at "/" (the kernel
 * mounts it before the others, which may lie inside it). What --copy puts
 * in the initrd lies over the image's files, in the VM only. */
static int add_rootfs_volume(struct run_options *options)
{
	if (options->init) {
		sole_error("--init with --rootfs is not supported yet");
		return EXIT_SOLE_ERROR;
	}
	options->volumes = xrealloc(options->volumes, (options->volume_count + 1) * sizeof(*options->volumes));
	memmove(options->volumes + 1, options->volumes, options->volume_count * sizeof(*options->volumes));
	options->volume_count++;
	options->volumes[0] = (struct volume_request){
	    .as_typed = "--rootfs",
	    .host_path = xstrdup(options->rootfs),
	    .guest_path = xstrdup("/"),
	    .read_only = options->rootfs_read_only,
	};
	return 0;
}

/* A volume hides whatever the initrd holds at its path: a --copy there, or
 * a second volume, would silently vanish. */
static int check_volume_paths(const struct run_options *options)
{
	for (size_t i = 0; i < options->volume_count; i++) {
		const struct volume_request *volume = &options->volumes[i];
		if (strcmp(volume->guest_path, "/") == 0) {
			sole_error("-v %s: a volume cannot replace the VM's root folder; pick a path like /data",
			           volume->as_typed);
			return EXIT_SOLE_ERROR;
		}
		for (size_t j = 0; j < options->copy_count; j++) {
			if (!path_is_within(options->copies[j].guest_path, volume->guest_path))
				continue;
			sole_error("-v '%s' clashes with --copy '%s': the volume would hide what --copy puts at %s; "
			           "put it in the host folder instead",
			           volume->as_typed, options->copies[j].as_typed, options->copies[j].guest_path);
			return EXIT_SOLE_ERROR;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(options->volumes[j].guest_path, volume->guest_path) != 0)
				continue;
			sole_error("-v %s and -v %s: two volumes at %s", options->volumes[j].as_typed, volume->as_typed,
			           volume->guest_path);
			return EXIT_SOLE_ERROR;
		}
	}
	return 0;
}

static int apply_workdir(struct run_options *options, const struct flag_use *use)
{
	if (use->value[0] != '/') {
		sole_error("%s '%s': the working directory must be an absolute path, like %s /%s", use->spelled,
		           use->value, use->spelled, use->value);
		return EXIT_SOLE_ERROR;
	}
	free(options->workdir);
	options->workdir = path_normalise_in_guest(use->value);
	return 0;
}

/* Looks value up in names[count]; the index found goes to *choice. */
static int apply_choice(const struct flag_use *use, const char *const *names, size_t count, int *choice)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(use->value, names[i]) == 0) {
			*choice = (int)i;
			return 0;
		}
	}
	sole_error("%s '%s': not one of %s", use->spelled, use->value, run_flags[use->id].value_name);
	return EXIT_SOLE_ERROR;
}

static int apply_gdb(struct run_options *options, const struct flag_use *use)
{
	char *end;
	long port = use->value_inline ? strtol(use->value, &end, 10) : DEFAULT_GDB_PORT;

	if (use->value_inline && (*end != '\0' || port < 1 || port > 65535)) {
		sole_error("%s=%s: not a TCP port; use a number from 1 to 65535, like %s=1234", use->spelled,
		           use->value, use->spelled);
		return EXIT_SOLE_ERROR;
	}
	options->gdb_port = (int)port;
	return 0;
}

static int apply_flag(struct run_options *options, const struct flag_use *use)
{
	int choice;

	switch (use->id) {
	case FLAG_MEMORY:
		return apply_memory(options, use);
	case FLAG_CPUS:
		return apply_cpus(options, use);
	case FLAG_ENV:
		return apply_env(options, use);
	case FLAG_COPY:
		return apply_copy(options, use);
	case FLAG_WORKDIR:
		return apply_workdir(options, use);
	case FLAG_USER:
		options->user_spec = use->value;
		return 0;
	case FLAG_TRACE:
		options->trace = true;
		return 0;
	case FLAG_SYSCALL_SUMMARY:
		options->syscall_summary = true;
		options->syscall_summary_path = use->value_inline ? use->value : NULL;
		return 0;
	case FLAG_MISSING_FILES:
		options->missing_files = true;
		return 0;
	case FLAG_NO_SHELL:
		options->no_shell = true;
		return 0;
	case FLAG_INIT:
		options->init = true;
		return 0;
	case FLAG_SIG_PROXY:
		options->sig_proxy = true;
		return 0;
	case FLAG_VERBOSE:
		options->verbose = true;
		return 0;
	case FLAG_NO_SANDBOX:
		options->no_sandbox = true;
		return 0;
	case FLAG_NO_ASLR:
		options->no_aslr = true;
		return 0;
	case FLAG_KERNEL:
		options->kernel_path = use->value;
		return 0;
	case FLAG_GDB:
		return apply_gdb(options, use);
	case FLAG_CORE:
		options->core_path = use->value;
		return 0;
	case FLAG_STATS_FILE:
		options->stats_path = use->value;
		return 0;
	case FLAG_TEST_KERNEL_PANIC:
		options->test_kernel_panic = true;
		return 0;
	case FLAG_TEST_WX_VIOLATION:
		options->test_wx_violation = true;
		return 0;
	case FLAG_HELP:
		options->help = true;
		return 0;
	case FLAG_ACCEL:
		if (apply_choice(use, accel_names, sizeof(accel_names) / sizeof(*accel_names), &choice) != 0)
			return EXIT_SOLE_ERROR;
		options->accel = (enum accel_request)choice;
		return 0;
	case FLAG_MACHINE:
		if (apply_choice(use, machine_names, sizeof(machine_names) / sizeof(*machine_names), &choice) != 0)
			return EXIT_SOLE_ERROR;
		options->machine = (enum machine_kind)choice;
		return 0;
	case FLAG_PUBLISH:
		return guest_network_publish(&options->network, use->spelled, use->value);
	case FLAG_NET:
		return guest_network_set_mode(&options->network, use->spelled, use->value);
	case FLAG_IP:
		return guest_network_set_address(&options->network, use->spelled, use->value);
	case FLAG_GATEWAY:
		return guest_network_set_gateway(&options->network, use->spelled, use->value);
	case FLAG_DNS:
		return guest_network_set_dns(&options->network, use->spelled, use->value);
	case FLAG_MAC:
		return guest_network_set_mac(&options->network, use->spelled, use->value);
	case FLAG_VOLUME:
		return apply_volume(options, use);
	case FLAG_ROOTFS:
		return apply_rootfs(options, use);
	case FLAG_HOSTNAME:
		if (!*use->value || strlen(use->value) > 64 || strchr(use->value, '\n')) {
			sole_error("%s '%s': a host name has 1 to 64 characters", use->spelled, use->value);
			return EXIT_SOLE_ERROR;
		}
		options->hostname = use->value;
		return 0;
	case FLAG_READ_ONLY:
		options->rootfs_read_only = true;
		return 0;
	case FLAG_INTERACTIVE:
		options->interactive = true;
		return 0;
	case FLAG_TTY:
		options->tty = true;
		return 0;
	case FLAG_COUNT:
		break;
	}
	return EXIT_SOLE_ERROR;
}

/* Recognises "-x", "-xVALUE", "-x=VALUE", "--long" and "--long=VALUE". */
static bool find_flag(const char *arg, struct flag_use *use)
{
	bool is_long = arg[1] == '-';
	const char *name = arg + (is_long ? 2 : 1);
	size_t name_length = is_long ? strcspn(name, "=") : 1;

	for (int id = 0; id < FLAG_COUNT; id++) {
		const struct run_flag *flag = &run_flags[id];
		bool matches =
		    is_long ? strlen(flag->long_name) == name_length && strncmp(flag->long_name, name, name_length) == 0
		            : flag->short_name == name[0];
		if (!matches)
			continue;
		const char *rest = name + name_length;
		bool value_inline = *rest != '\0';
		if (*rest == '=')
			rest++;
		else if (*rest && !flag->value_name)
			return false; /* "-hx": no such flag */
		*use = (struct flag_use){
		    .id = (enum run_flag_id)id,
		    .spelled = xasprintf("%.*s", (int)(name - arg + name_length), arg),
		    .value = rest,
		    .value_inline = value_inline,
		};
		return true;
	}
	return false;
}

static int report_unknown_flag(const char *arg)
{
	size_t shown = arg[1] == '-' ? strcspn(arg, "=") : strlen(arg);
	sole_error("unknown flag '%.*s' for 'sole run' (see 'sole run --help')", (int)shown, arg);
	return EXIT_SOLE_ERROR;
}

/* A cluster of short flags, as "-it" for "-i -t": every flag but the last
 * takes no value. Applies those and leaves *arg at the last one ("-t"). */
static int apply_short_cluster(struct run_options *options, const char **arg, char **spare)
{
	while ((*arg)[1] != '-' && (*arg)[1] && (*arg)[2] && (*arg)[2] != '=') {
		char single[3] = {'-', (*arg)[1], '\0'};
		struct flag_use use;
		if (!find_flag(single, &use))
			return report_unknown_flag(*arg);
		bool takes_value = run_flags[use.id].value_name != NULL;
		free(use.spelled);
		if (takes_value)
			return 0; /* "-m64M": the rest is the value */
		int status = apply_flag(options, &use);
		if (status != 0)
			return status;
		char *rest = xasprintf("-%s", *arg + 2);
		free(*spare);
		*spare = rest;
		*arg = rest;
	}
	return 0;
}

/* Reads the flag at argv[*index] and its value, moving *index past both. */
static int parse_one_flag(struct run_options *options, int argc, char **argv, int *index)
{
	struct flag_use use;
	const char *arg = argv[(*index)++];
	char *cluster_rest = NULL;
	int cluster_status = apply_short_cluster(options, &arg, &cluster_rest);

	if (cluster_status != 0 || !find_flag(arg, &use)) {
		int status = cluster_status ? cluster_status : report_unknown_flag(arg);
		free(cluster_rest);
		return status;
	}
	const char *value_name = run_flags[use.id].value_name;
	int status = EXIT_SOLE_ERROR;
	if (!value_name && use.value_inline) {
		sole_error("%s takes no value (given '%s')", use.spelled, use.value);
	} else if (value_name && !use.value_inline && !run_flags[use.id].value_optional && *index >= argc) {
		sole_error("%s needs a value: %s %s", use.spelled, use.spelled, value_name);
	} else {
		if (value_name && !use.value_inline && !run_flags[use.id].value_optional)
			use.value = argv[(*index)++];
		status = apply_flag(options, &use);
	}
	free(use.spelled);
	free(cluster_rest);
	return status;
}

static void set_defaults(struct run_options *options)
{
	*options = (struct run_options){
	    .memory_bytes = DEFAULT_MEMORY,
	    .cpus = 1,
	    .workdir = xstrdup("/"),
	    .accel = ACCEL_AUTO,
	    .machine = MACHINE_MICROVM,
	    .network = {.mode = NETWORK_USER},
	};
	for (size_t i = 0; i < sizeof(default_environment) / sizeof(*default_environment); i++)
		string_list_append(&options->env, default_environment[i]);
}

/* docker's HOME for --user: the user's home, unless -e set one. */
static void use_users_home(struct run_options *options)
{
	for (size_t i = 0; i < options->env.count; i++)
		if (strcmp(options->env.items[i], "HOME=/root") == 0) {
			char *home = xasprintf("HOME=%s", options->user.home);
			environment_set(&options->env, home);
			free(home);
		}
}

int run_options_parse(struct run_options *options, int argc, char **argv)
{
	int index = 0;

	set_defaults(options);
	while (index < argc && !options->help) {
		const char *arg = argv[index];
		if (strcmp(arg, "--") == 0) {
			index++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* BINARY: the app's own arguments follow */
		int status = parse_one_flag(options, argc, argv, &index);
		if (status != 0)
			return status;
	}
	if (options->help)
		return 0;
	if (options->user_spec && run_user_resolve(options->user_spec, options->rootfs, &options->user) != 0)
		return EXIT_SOLE_ERROR;
	if (options->user.set && options->user.uid != 0)
		use_users_home(options);
	if (options->tty)
		terminfo_set_term(&options->env);
	if (guest_network_finish(&options->network) != 0 || check_volume_paths(options) != 0)
		return EXIT_SOLE_ERROR;
	if (options->rootfs_read_only && !options->rootfs) {
		sole_error("--read-only makes the --rootfs folder read-only; give --rootfs DIR too");
		return EXIT_SOLE_ERROR;
	}
	if (options->rootfs && add_rootfs_volume(options) != 0)
		return EXIT_SOLE_ERROR;
	if (index >= argc) {
		sole_error("'sole run' needs a BINARY to run (see 'sole run --help')");
		return EXIT_SOLE_ERROR;
	}
	options->binary = argv[index];
	options->app_args = argv + index + 1;
	options->app_arg_count = argc - index - 1;
	return 0;
}

void run_options_free(struct run_options *options)
{
	for (size_t i = 0; i < options->copy_count; i++) {
		free(options->copies[i].host_path);
		free(options->copies[i].guest_path);
	}
	free(options->copies);
	for (size_t i = 0; i < options->volume_count; i++) {
		free(options->volumes[i].host_path);
		free(options->volumes[i].guest_path);
		free(options->volumes[i].export_path);
	}
	free(options->volumes);
	free(options->workdir);
	free(options->rootfs);
	run_user_free(&options->user);
	string_list_free(&options->env);
	guest_network_free(&options->network);
}

/* Prints a flag's help, indenting the continuation lines of a multi-line text. */
static void print_flag_help(FILE *out, const struct run_flag *flag)
{
	char left[48];

	snprintf(left, sizeof(left), "%c%c%s--%s%s%s", flag->short_name ? '-' : ' ',
	         flag->short_name ? flag->short_name : ' ', flag->short_name ? ", " : "  ", flag->long_name,
	         flag->value_name && !flag->value_optional ? " " : "", flag->value_name ? flag->value_name : "");
	fprintf(out, "  %-30s ", left);
	for (const char *c = flag->help; *c; c++) {
		fputc(*c, out);
		if (*c == '\n')
			fprintf(out, "  %-30s ", "");
	}
	fputc('\n', out);
}

void run_options_print_help(FILE *out)
{
	fputs("Usage: sole run [OPTIONS] BINARY [ARGS...]\n"
	      "\n"
	      "Boot BINARY (a Linux x86_64 ELF, static or dynamic) as the only process of the\n"
	      "sole kernel under QEMU. Its stdout and stderr reach yours, its exit status\n"
	      "becomes sole's, and with -i your stdin reaches it, followed by EOF. With -it\n"
	      "it runs in a terminal, as with docker run -it: a shell, a REPL or vim.\n"
	      "\n"
	      "The VM has a network: by default QEMU's user network, through which the app\n"
	      "reaches what the host reaches, and -p 8080:80 makes the app's port 80\n"
	      "answer on the host's 127.0.0.1:8080.\n"
	      "\n"
	      "BINARY without a '/' is searched on PATH. Options end at BINARY or at '--';\n"
	      "everything after BINARY is the app's own arguments.\n"
	      "\n"
	      "Options:\n",
	      out);
	for (int id = 0; id < FLAG_COUNT; id++)
		if (run_flags[id].help)
			print_flag_help(out, &run_flags[id]);
	fputs("\n"
	      "Exit status: the app's; 128+N when a signal N killed it; 125 when sole itself\n"
	      "failed; 126 when BINARY cannot run (not x86_64, malformed, a library missing); 127 when\n"
	      "BINARY was not found.\n",
	      out);
}
