/* QEMU for one `sole run`: its command line, built in one table per machine
 * type, and the process, started with pipes for its stdin, stdout, stderr
 * (the console's virtio port and QEMU's messages) and one for the UART. */
#define _GNU_SOURCE
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "byte_buffer.h"
#include "cleanup.h"
#include "diag.h"
#include "exit_codes.h"
#include "platforms/console_wire.h"
#include "xalloc.h"

#define STRINGIFY_VALUE(x) #x
#define STRINGIFY(x) STRINGIFY_VALUE(x)

#define QEMU_PROGRAM "qemu-system-x86_64"
/* The VM's one network backend: a second -netdev for the same NIC is how
 * kraft's duplicate-id errors came about (kraftkit#1367). */
#define NETDEV_ID "net0"
/* QEMU's seccomp filter, as libvirt sets it: no obsolete syscalls, no
 * set*uid, no fork or exec, no changes to scheduling or affinity. */
#define SANDBOX_OPTION "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"
/* The fd QEMU finds the UART's pipe on, passed in with -add-fd. */
#define SERIAL_FD 3
#define SERIAL_FD_SET "1"
/* The fds of the files sole opens for QEMU, named on its command line: the
 * tap device (tap_device.h), and for an unprivileged QEMU, which may not
 * reach their folders, the kernel and the initrd (as /proc/self/fd/N). */
#define TAP_FD 4
#define KERNEL_FD 5
#define INITRD_FD 6
#define INHERITED_FD_COUNT 3

/* What differs between machine types. */
static const struct machine_profile {
	const char *qemu_machine;     /* the -M value */
	const char *net_device;       /* the -device for virtio-net, on NETDEV_ID */
	const char *ninep_device;     /* the -device for virtio-9p, before ",fsdev=..." */
	const char *serial_device;    /* the -device for virtio-serial, the console's */
	const char *rng_device;       /* the -device for virtio-rng, entropy from the host */
	const char *virtio_transport; /* a -global for the virtio transport, or NULL */
} machine_profiles[] = {
	/* virtio 1.0 over MMIO (version 2) rather than the legacy interface,
	 * so that one driver serves both machines */
	[MACHINE_MICROVM] = {"microvm,x-option-roms=off,rtc=on", "virtio-net-device,netdev=" NETDEV_ID,
			     "virtio-9p-device", "virtio-serial-device,max_ports=2", "virtio-rng-device",
			     "virtio-mmio.force-legacy=false"},
	/* modern virtio only, and no option ROM: no firmware runs one (PVH boot) */
	[MACHINE_PC] = {"pc", "virtio-net-pci,netdev=" NETDEV_ID ",disable-legacy=on,romfile=",
			"virtio-9p-pci,disable-legacy=on,romfile=",
			"virtio-serial-pci,disable-legacy=on,romfile=,max_ports=2",
			"virtio-rng-pci,disable-legacy=on,romfile="},
};

/* What differs between accelerators. */
static const struct accel_profile {
	const char *qemu_accel;
	const char *cpu;
} accel_profiles[] = {
	[ACCEL_KIND_TCG] = {"tcg", "max"},
	[ACCEL_KIND_KVM] = {"kvm", "host"},
};

/* "tcp:127.0.0.1:8080-10.0.2.15:80": one -p as a user network hostfwd rule. */
static char *hostfwd_rule(const struct port_mapping *mapping, const char *guest_address)
{
	return xasprintf("%s:%s:%u-%s:%u", port_protocol_name(mapping->protocol), mapping->host_address,
			 mapping->host_port, guest_address, mapping->guest_port);
}

static char *netdev_option(const struct guest_network *network)
{
	if (network->mode == NETWORK_TAP)
		return xstrdup("tap,id=" NETDEV_ID ",fd=" STRINGIFY(TAP_FD));
	struct byte_buffer option = {0};
	byte_buffer_append_string(&option, "user,id=" NETDEV_ID);
	for (size_t i = 0; i < network->port_count; i++) {
		char *rule = hostfwd_rule(&network->ports[i], network->address);
		byte_buffer_append_string(&option, ",hostfwd=");
		byte_buffer_append_string(&option, rule);
		free(rule);
	}
	byte_buffer_append(&option, "", 1);
	return (char *)option.data;
}

static void add_network(const struct qemu_config *config, const struct machine_profile *machine,
			struct string_list *argv)
{
	if (config->network->mode == NETWORK_NONE)
		return;
	string_list_append(argv, "-netdev");
	string_list_append_owned(argv, netdev_option(config->network));
	string_list_append(argv, "-device");
	if (config->network->mac[0])
		string_list_append_owned(argv, xasprintf("%s,mac=%s", machine->net_device, config->network->mac));
	else
		string_list_append(argv, machine->net_device);
}

/* A value inside a QEMU option list, where ',' is written ",,". */
static void append_option_value(struct byte_buffer *option, const char *value)
{
	for (const char *c = value; *c; c++)
		byte_buffer_append_string(option, *c == ',' ? ",," : (char[]){*c, '\0'});
}

/* Each -v: QEMU's own 9P2000.L server on the host folder (or the folder
 * holding a file volume's link, volume_files.c). security_model=none
 * creates files as the user running sole, with the modes the guest asks
 * for, and keeps no extended attributes. */
static void add_volumes(const struct qemu_config *config, const struct machine_profile *machine,
			struct string_list *argv)
{
	for (size_t i = 0; i < config->volume_count; i++) {
		const struct volume_request *volume = &config->volumes[i];
		char *tag = xasprintf(VOLUME_TAG_FORMAT, i);
		struct byte_buffer option = {0};
		byte_buffer_append_string(&option, "local,id=");
		byte_buffer_append_string(&option, tag);
		byte_buffer_append_string(&option, ",path=");
		append_option_value(&option, volume->export_path);
		byte_buffer_append_string(&option, ",security_model=none");
		if (volume->read_only)
			byte_buffer_append_string(&option, ",readonly=on");
		byte_buffer_append(&option, "", 1);
		string_list_append(argv, "-fsdev");
		string_list_append_owned(argv, (char *)option.data);
		string_list_append(argv, "-device");
		string_list_append_owned(argv,
					 xasprintf("%s,fsdev=%s,mount_tag=%s", machine->ninep_device, tag, tag));
		free(tag);
	}
}

void qemu_build_command(const struct qemu_config *config, struct string_list *argv)
{
	const struct machine_profile *machine = &machine_profiles[config->machine];
	const struct accel_profile *accel = &accel_profiles[config->accel];
	uint64_t mebibytes = (config->memory_bytes + (1u << 20) - 1) >> 20;
	char *memory = xasprintf("%lluM", (unsigned long long)mebibytes);
	char *kernel_arguments = guest_network_kernel_arguments(config->network);
	bool files_by_fd = config->user && config->user->drop;
	const char *const arguments[] = {
		QEMU_PROGRAM,
		"-M", machine->qemu_machine,
		"-accel", accel->qemu_accel,
		"-cpu", accel->cpu,
		"-nodefaults", "-no-user-config", "-display", "none",
		"-m", memory,
		"-kernel", files_by_fd ? "/proc/self/fd/" STRINGIFY(KERNEL_FD) : config->kernel_path,
		"-initrd", files_by_fd ? "/proc/self/fd/" STRINGIFY(INITRD_FD) : config->initrd_path,
		/* only the network's keys: the boot configuration travels in the initrd */
		"-append", kernel_arguments,
		/* The console: a virtserialport on stdin and stdout (QEMU holds its
		 * output while the host reads slowly, where a virtconsole drops it),
		 * and the UART, for what comes before its driver and after a panic. */
		"-chardev", "stdio,id=con,signal=off",
		"-device", machine->serial_device,
		"-device", "virtserialport,chardev=con,nr=" STRINGIFY(WIRE_VIRTIO_PORT),
		/* the host's getrandom for the kernel's generator, beside the seed */
		"-device", machine->rng_device,
		"-add-fd", "fd=" STRINGIFY(SERIAL_FD) ",set=" SERIAL_FD_SET,
		"-chardev", "file,id=uart,append=on,path=/dev/fdset/" SERIAL_FD_SET, /* not O_TRUNC: a pipe */
		"-serial", "chardev:uart",
		"-device", "isa-debug-exit,iobase=0x501,iosize=1",
		"-no-reboot",
	};

	for (size_t i = 0; i < sizeof(arguments) / sizeof(*arguments); i++)
		string_list_append(argv, arguments[i]);
	if (config->cpus > 1) {
		string_list_append(argv, "-smp");
		string_list_append_owned(argv, xasprintf("%d", config->cpus));
	}
	add_network(config, machine, argv);
	add_volumes(config, machine, argv);
	if (machine->virtio_transport) {
		string_list_append(argv, "-global");
		string_list_append(argv, machine->virtio_transport);
	}
	if (config->sandbox) {
		string_list_append(argv, "-sandbox");
		string_list_append(argv, SANDBOX_OPTION);
	}
	if (config->gdb_port) {
		string_list_append(argv, "-gdb");
		string_list_append_owned(argv, xasprintf("tcp:127.0.0.1:%d", config->gdb_port));
		string_list_append(argv, "-S"); /* hold the CPU until gdb says continue */
	}
	free(kernel_arguments);
	free(memory);
}

static bool messages_mention(const struct byte_buffer *messages, const char *text)
{
	return messages->length && memmem(messages->data, messages->length, text, strlen(text));
}

void qemu_explain_failure(const struct qemu_config *config, const struct byte_buffer *messages)
{
	const struct guest_network *network = config->network;

	/* "-sandbox support is not enabled in this QEMU binary", or "failed to
	 * install seccomp syscall filter in the kernel" */
	if (config->sandbox && (messages_mention(messages, "-sandbox") || messages_mention(messages, "seccomp")))
		sole_error("QEMU cannot run under its seccomp sandbox here; install a QEMU built with seccomp "
			   "(Debian's qemu-system-x86 is) on a kernel with seccomp, or run with --no-sandbox");

	for (size_t i = 0; i < network->port_count; i++) {
		const struct port_mapping *mapping = &network->ports[i];
		char *rule = hostfwd_rule(mapping, network->address);
		char *complaint = xasprintf("Could not set up host forwarding rule '%s'", rule);
		if (messages_mention(messages, complaint))
			sole_error("-p %s: QEMU could not listen on %s port %u of %s (taken by another program "
				   "since sole checked it?); pick another host port",
				   mapping->as_typed, mapping->protocol == PORT_UDP ? "UDP" : "TCP",
				   mapping->host_port, mapping->host_address);
		free(complaint);
		free(rule);
	}
}

static bool needs_shell_quotes(const char *word)
{
	return *word == '\0' || word[strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
						  "0123456789_./,:=+-@%")] != '\0';
}

char *qemu_format_command(const struct string_list *argv)
{
	struct byte_buffer text = {0};

	for (size_t i = 0; i < argv->count; i++) {
		const char *word = argv->items[i];
		if (i > 0)
			byte_buffer_append_string(&text, " ");
		if (!needs_shell_quotes(word)) {
			byte_buffer_append_string(&text, word);
			continue;
		}
		byte_buffer_append_string(&text, "'");
		for (const char *c = word; *c; c++)
			byte_buffer_append_string(&text, *c == '\'' ? "'\\''" : (char[]){*c, '\0'});
		byte_buffer_append_string(&text, "'");
	}
	byte_buffer_append(&text, "", 1);
	return (char *)text.data;
}

/* Why the child did not become QEMU, sent to sole on the status pipe. */
struct start_failure {
	int error;
	bool switching_user; /* at qemu_user_become, not at execvp */
};

static void report_from_child(int status_fd, bool switching_user)
{
	struct start_failure failure = {errno, switching_user};
	(void)!write(status_fd, &failure, sizeof(failure));
	_exit(EXIT_SOLE_ERROR);
}

/* In the child: becomes QEMU, or reports why not on status_fd. inherited[i]
 * (-1: none) goes to fd TAP_FD + i. */
static void exec_qemu(char *const argv[], const struct qemu_user *user, const int inherited[INHERITED_FD_COUNT],
		      const int stdio[3], int serial_fd, int status_fd, const sigset_t *signal_mask, pid_t parent)
{
	int moved[INHERITED_FD_COUNT];

	/* out of the way of the fds below, which dup2 may put on their numbers */
	for (int i = 0; i < INHERITED_FD_COUNT; i++)
		moved[i] = inherited[i] >= 0 ? fcntl(inherited[i], F_DUPFD_CLOEXEC, TAP_FD + INHERITED_FD_COUNT) : -1;
	setpgid(0, 0);
	if (user && qemu_user_become(user) != 0)
		report_from_child(status_fd, true);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* sole killed with -9 takes QEMU along; after the ids change, which clears it */
	if (getppid() != parent)
		_exit(EXIT_SOLE_ERROR);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, signal_mask, NULL);
	for (int fd = 0; fd < 3; fd++)
		dup2(stdio[fd], fd);
	dup2(serial_fd, SERIAL_FD); /* made after the stdio pipes: none of them moved onto it */
	for (int i = 0; i < INHERITED_FD_COUNT; i++)
		if (moved[i] >= 0)
			dup2(moved[i], TAP_FD + i);
	execvp(argv[0], argv);
	report_from_child(status_fd, false);
}

static void make_pipe(int ends[2])
{
	if (pipe2(ends, O_CLOEXEC) != 0) {
		sole_error("cannot create a pipe for QEMU: %s", strerror(errno));
		exit(EXIT_SOLE_ERROR);
	}
}

/* Reads the child's report: error 0 when execvp succeeded (the pipe just closed). */
static struct start_failure child_report(int status_fd)
{
	struct start_failure failure = {0};
	ssize_t got;

	do
		got = read(status_fd, &failure, sizeof(failure));
	while (got < 0 && errno == EINTR);
	return got == sizeof(failure) ? failure : (struct start_failure){0};
}

static void report_start_failure(const char *program, const struct qemu_user *user, struct start_failure failure)
{
	if (failure.switching_user)
		sole_error("cannot run %s as uid %u: %s; run with --no-sandbox to keep sole's ids", program,
			   (unsigned)user->uid, strerror(failure.error));
	else if (failure.error == ENOENT)
		sole_error("cannot start %s: not installed; install Debian's qemu-system-x86 package",
			   program);
	else
		sole_error("cannot start %s: %s", program, strerror(failure.error));
}

/* For an unprivileged QEMU: the kernel and the initrd, open, at
 * inherited[KERNEL_FD - TAP_FD] and on. The initrd, sole's temporary file,
 * becomes the user's (0600), so that it may read it. 0, or the exit status. */
static int open_boot_files(const struct qemu_config *config, int inherited[INHERITED_FD_COUNT])
{
	int *kernel = &inherited[KERNEL_FD - TAP_FD], *initrd = &inherited[INITRD_FD - TAP_FD];

	*kernel = open(config->kernel_path, O_RDONLY | O_CLOEXEC);
	if (*kernel < 0) {
		sole_error("cannot open the kernel %s: %s", config->kernel_path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	*initrd = open(config->initrd_path, O_RDONLY | O_CLOEXEC);
	if (*initrd < 0 || fchown(*initrd, config->user->uid, config->user->gid) != 0) {
		sole_error("cannot hand the initrd %s to QEMU's user: %s", config->initrd_path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

int qemu_start(const struct qemu_config *config, const struct string_list *argv, int tap_fd,
	       struct qemu_process *process)
{
	int to_qemu[2], from_qemu[2], qemu_errors[2], from_uart[2], status[2];
	int inherited[INHERITED_FD_COUNT] = {tap_fd, -1, -1};
	const struct qemu_user *user = config->user && config->user->drop ? config->user : NULL;
	sigset_t saved_mask;

	if (user && open_boot_files(config, inherited) != 0) {
		for (int i = 1; i < INHERITED_FD_COUNT; i++)
			if (inherited[i] >= 0)
				close(inherited[i]);
		return EXIT_SOLE_ERROR;
	}
	make_pipe(to_qemu);
	make_pipe(from_qemu);
	make_pipe(qemu_errors);
	make_pipe(from_uart);
	make_pipe(status);
	cleanup_block_signals(&saved_mask);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		const int stdio[3] = {to_qemu[0], from_qemu[1], qemu_errors[1]};
		exec_qemu(argv->items, user, inherited, stdio, from_uart[1], status[1], &saved_mask, parent);
	}
	if (pid > 0)
		cleanup_remember_child(pid);
	cleanup_restore_signals(&saved_mask);
	struct start_failure failure = {.error = pid < 0 ? errno : 0};
	for (int i = 1; i < INHERITED_FD_COUNT; i++)
		if (inherited[i] >= 0)
			close(inherited[i]);
	close(to_qemu[0]);
	close(from_qemu[1]);
	close(qemu_errors[1]);
	close(from_uart[1]);
	close(status[1]);
	if (pid > 0)
		failure = child_report(status[0]);
	close(status[0]);
	*process = (struct qemu_process){pid, to_qemu[1], from_qemu[0], qemu_errors[0], from_uart[0]};
	if (failure.error) {
		if (pid > 0)
			cleanup_wait_child();
		qemu_close_pipes(process);
		report_start_failure(argv->items[0], user, failure);
		return EXIT_SOLE_ERROR;
	}
	fcntl(process->stdin_fd, F_SETFL, O_NONBLOCK);
	fcntl(process->stdout_fd, F_SETFL, O_NONBLOCK);
	fcntl(process->stderr_fd, F_SETFL, O_NONBLOCK);
	fcntl(process->serial_fd, F_SETFL, O_NONBLOCK);
	return 0;
}

void qemu_close_pipes(struct qemu_process *process)
{
	int *fds[] = {&process->stdin_fd, &process->stdout_fd, &process->stderr_fd, &process->serial_fd};

	for (int i = 0; i < 4; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
