/* `sole run`: boot a binary in the sole kernel under QEMU and behave like
 * running it natively. Each step is its own file; this one puts them in order. */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "app_libraries.h"
#include "boot_config.h"
#include "cleanup.h"
#include "console_relay.h"
#include "console_sink.h"
#include "crash_file.h"
#include "crash_report.h"
#include "diag.h"
#include "elf_check.h"
#include "exit_codes.h"
#include "gdb_command.h"
#include "guest_network.h"
#include "host_terminal.h"
#include "hostfwd_backlog.h"
#include "initrd.h"
#include "kernel_image.h"
#include "paths.h"
#include "platforms/console_wire.h"
#include "qemu.h"
#include "qemu_user.h"
#include "run_options.h"
#include "syscall_summary.h"
#include "tap_device.h"
#include "volume_files.h"
#include "xalloc.h"

/* What the console delivered while the VM ran. */
struct vm_outcome {
	struct console_demux demux;        /* the console's virtio port */
	struct console_demux serial_demux; /* its UART: early boot, panics */
	struct console_sink sink;
	struct qemu_messages messages;
	int qemu_wait_status;
};

static int check_binary(const struct app_binary *binary)
{
	char problem[512];

	if (elf_check_runnable(binary->host_path, problem, sizeof(problem)) == 0)
		return 0;
	sole_error("%s: %s", binary->as_typed, problem);
	return EXIT_NOT_RUNNABLE;
}

/* 0, or EXIT_SOLE_ERROR when the host has no random bytes for the seed. */
static int encode_boot_config(const struct run_options *options, const struct app_binary *binary,
                              const struct host_terminal *terminal, struct byte_buffer *encoded)
{
	struct string_list argv = {0}, volumes = {0};

	if (options->init) {
		/* sole-init PATH ARGV0 ARGS: it runs the app as its child. */
		string_list_append(&argv, GUEST_INIT_PATH);
		string_list_append(&argv, binary->guest_path);
	}
	string_list_append(&argv, binary->as_typed);
	for (int i = 0; i < options->app_arg_count; i++)
		string_list_append(&argv, options->app_args[i]);
	for (size_t i = 0; i < options->volume_count; i++) {
		char *tag = xasprintf(VOLUME_TAG_FORMAT, i);
		/* "ro" or "rw" for a folder, "fr" or "fw" for a single file */
		const struct volume_request *v = &options->volumes[i];
		string_list_append_owned(&volumes, xasprintf("%s:%c%c:%s", tag, v->file ? 'f' : 'r',
		                                             v->read_only ? (v->file ? 'r' : 'o') : 'w', v->guest_path));
		free(tag);
	}
	char *user = options->user.set ? run_user_encode(&options->user) : NULL;
	struct boot_config config = {
	    .exe = options->init ? GUEST_INIT_PATH : binary->guest_path,
	    .argv = &argv,
	    .env = &options->env,
	    .cwd = options->workdir,
	    .user = user,
	    .volumes = &volumes,
	    .hostname = options->hostname,
	    .trace = options->trace,
	    .syscall_summary = options->syscall_summary,
	    .stats = options->stats_path != NULL,
	    .verbose = options->verbose,
	    .test_kernel_panic = options->test_kernel_panic,
	    .test_wx_violation = options->test_wx_violation,
	    /* gdb_command_line's symbols sit at the fixed PIE base */
	    .no_aslr = options->no_aslr || options->gdb_port,
	    .terminal = *terminal,
	};
	int status = 0;
	if (getrandom(config.random_seed, sizeof(config.random_seed), 0) != sizeof(config.random_seed)) {
		sole_error("cannot seed the VM's random generator: getrandom: %s", strerror(errno));
		status = EXIT_SOLE_ERROR;
	} else {
		boot_config_encode(&config, encoded);
	}
	explicit_bzero(config.random_seed, sizeof(config.random_seed));
	free(user);
	string_list_free(&argv);
	string_list_free(&volumes);
	return status;
}

static void describe_qemu_failure(const struct vm_outcome *outcome)
{
	struct line_prefixer lines;
	int status = outcome->qemu_wait_status;

	line_prefixer_init(&lines, STDERR_FILENO, "sole: qemu: ");
	line_prefixer_write(&lines, outcome->messages.captured.data, outcome->messages.captured.length);
	line_prefixer_finish(&lines);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		sole_error("the VM stopped: QEMU made a syscall its seccomp sandbox denies; run with --no-sandbox to do "
		           "without the sandbox");
	else if (WIFSIGNALED(status))
		sole_error("the VM stopped without an exit status (QEMU killed by signal %d)", WTERMSIG(status));
	else
		sole_error("the VM stopped without an exit status (QEMU exit code %d)", WEXITSTATUS(status));
}

/* The line the guest sent its exit status on (the UART, when it failed
 * before its virtio port was up), or NULL when none came. */
static const struct console_demux *exit_status_line(const struct vm_outcome *outcome)
{
	if (outcome->demux.have_exit_status)
		return &outcome->demux;
	return outcome->serial_demux.have_exit_status ? &outcome->serial_demux : NULL;
}

static int exit_status_of(const struct vm_outcome *outcome, const struct crash_context *crash, const char *core_path)
{
	const struct console_demux *exit_line = exit_status_line(outcome);
	int status = EXIT_SOLE_ERROR;

	if (outcome->sink.crash.lines.count > 0) {
		status = crash_report_print(stderr, &outcome->sink.crash.lines, crash);
		if (core_path && crash_file_write(core_path, &outcome->sink.crash.lines, crash) == 0)
			fprintf(stderr, "sole: crash record written to %s; 'sole symbolize %s' shows it again\n",
			        core_path, core_path);
	}
	if (exit_line)
		status = exit_line->exit_status;
	else if (outcome->sink.crash.lines.count == 0)
		describe_qemu_failure(outcome);
	return status;
}

/* The VM whose published ports get a wide listen backlog once it runs. */
struct started_vm {
	pid_t qemu_pid;
	const struct run_options *options;
};

static void widen_hostfwd_backlog(void *context)
{
	const struct started_vm *vm = context;

	hostfwd_backlog_widen(vm->qemu_pid, &vm->options->network, vm->options->verbose);
}

/* Relays the console until QEMU exits, then waits for it. */
static void watch_vm(struct qemu_process *qemu, const struct run_options *options, int stats_fd,
                     struct vm_outcome *outcome)
{
	struct line_prefixer live_messages;
	struct started_vm started = {qemu->pid, options};

	line_prefixer_init(&live_messages, STDERR_FILENO, "sole: qemu: ");
	console_sink_init(&outcome->sink, options->verbose, options->trace, stats_fd);
	console_demux_init(&outcome->demux, console_sink_deliver, &outcome->sink);
	console_demux_init(&outcome->serial_demux, console_sink_deliver, &outcome->sink);
	outcome->messages.live = options->verbose ? &live_messages : NULL;
	int signals[2] = {-1, -1};
	if (options->sig_proxy && pipe2(signals, O_CLOEXEC | O_NONBLOCK) != 0)
		sole_warning("--sig-proxy: no pipe (%s); a signal stops the VM", strerror(errno));
	struct relay_app_io app = {
	    .stdin_attached = options->interactive,
	    .tty = options->tty,
	    .stdout_failed = &outcome->sink.stdout_failed,
	    .forwarded_signals = signals[0],
	};
	cleanup_forward_signals(signals[1]);
	console_relay_run(qemu, &app, &outcome->demux, &outcome->serial_demux, &outcome->messages,
	                  widen_hostfwd_backlog, &started);
	cleanup_forward_signals(-1);
	for (int i = 0; i < 2; i++)
		if (signals[i] >= 0)
			close(signals[i]);
	console_sink_finish(&outcome->sink);
	line_prefixer_finish(&live_messages);
	qemu_close_pipes(qemu);
	outcome->qemu_wait_status = cleanup_wait_child();
}

/* --syscall-summary: the table on stderr, or in the file it names. */
static void report_syscall_summary(const struct run_options *options, const struct string_list *lines)
{
	struct syscall_summary summary;
	FILE *out = options->syscall_summary_path ? fopen(options->syscall_summary_path, "w") : stderr;

	if (!out) {
		sole_error("--syscall-summary=%s: cannot write: %s; name a writable file",
		           options->syscall_summary_path, strerror(errno));
		return;
	}
	syscall_summary_from_lines(lines, &summary);
	syscall_summary_print(out, &summary);
	syscall_summary_free(&summary);
	if (out != stderr && fclose(out) != 0)
		sole_error("--syscall-summary=%s: %s", options->syscall_summary_path, strerror(errno));
}

/* Paths glibc probes on every run, whose absence changes nothing; and
 * those a server reads at start for optional settings: getaddrinfo's
 * /etc/gai.conf, OpenSSL's openssl.cnf. */
static bool optional_probe(const char *path)
{
	static const char *const prefixes[] = {"/proc/",
	                                       "/sys/",
	                                       "/dev/",
	                                       "/etc/ld.so.",
	                                       "/usr/lib/locale/",
	                                       "/usr/share/locale/",
	                                       "/etc/gai.conf",
	                                       "/usr/lib/ssl/openssl.cnf",
	                                       NULL};
	for (const char *const *p = prefixes; *p; p++)
		if (!strncmp(path, *p, strlen(*p)))
			return true;
	return false;
}

/* A missing-files line's path: after MISSING_RUN_PREFIX for one the app
 * tried to run, else the whole line. */
static const char *missing_path(const char *line)
{
	size_t prefix = strlen(MISSING_RUN_PREFIX);
	return strncmp(line, MISSING_RUN_PREFIX, prefix) == 0 ? line + prefix : line;
}

/* The paths the app could not open: all of them with --missing-files. Else,
 * when the app failed, a hint naming the last of them that the host has:
 * most likely a file the user meant to --copy. Paths the host lacks too
 * (ld.so's search probes, say) would fail natively as well. */
static void report_missing_files(const struct run_options *options, const struct string_list *paths, int status)
{
	if (options->missing_files) {
		fprintf(stderr, "sole: the app tried to open or run %zu path%s that %s not in the VM%s\n", paths->count,
		        paths->count == 1 ? "" : "s", paths->count == 1 ? "is" : "are", paths->count ? ":" : "");
		for (size_t i = 0; i < paths->count; i++) {
			const char *path = missing_path(paths->items[i]);
			fprintf(stderr, "  %s%s\n", path, path != paths->items[i] ? " (to run it)" : "");
		}
		return;
	}
	if (status == 0 || options->rootfs) /* the host's files are no remedy for an image */
		return;
	const char *last = NULL;
	for (size_t i = 0; i < paths->count; i++) {
		const char *path = missing_path(paths->items[i]);
		if (!optional_probe(path) && access(path, F_OK) == 0)
			last = paths->items[i];
	}
	if (!last)
		return;
	const char *path = missing_path(last);
	if (path != last)
		fprintf(stderr,
		        "sole: hint: the app tried to run %s, which the host has but the VM does not; add it with "
		        "--copy %s (an executable brings its libraries)\n",
		        path, path);
	else
		fprintf(stderr,
		        "sole: hint: the app tried to open %s, which the host has but the VM does not; add it with "
		        "--copy %s (--missing-files lists every path it missed)\n",
		        path, path);
}

/* --stats-file: opened before QEMU starts, so that a bad path fails at once. */
static int open_stats_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		sole_error("--stats-file %s: %s; name a writable file", path, strerror(errno));
	return fd;
}

static int run_vm(const struct run_options *options, const struct app_binary *binary, const struct qemu_config *config,
                  const struct host_terminal *terminal)
{
	struct string_list argv = {0};
	struct qemu_process qemu;
	struct vm_outcome outcome = {0};
	int tap_fd = -1;

	if (options->network.mode == NETWORK_TAP) {
		tap_fd = tap_device_open(options->network.tap_name);
		if (tap_fd < 0)
			return EXIT_SOLE_ERROR;
	}
	qemu_build_command(config, &argv);
	if (options->verbose) {
		char *command = qemu_format_command(&argv);
		fprintf(stderr, "sole: qemu command: %s\n", command);
		free(command);
		if (config->user->drop)
			fprintf(stderr, "sole: QEMU runs as uid %u, gid %u\n", (unsigned)config->user->uid,
			        (unsigned)config->user->gid);
		else if (config->user->why_root)
			fprintf(stderr, "sole: QEMU runs as root: %s\n", config->user->why_root);
	}
	if (config->gdb_port) {
		char *gdb = gdb_command_line(config->kernel_path, binary->host_path, config->gdb_port);
		fprintf(stderr,
		        "sole: the VM waits for gdb on 127.0.0.1:%d; attach from another terminal with:\n  %s\n",
		        config->gdb_port, gdb);
		free(gdb);
	}
	int stats_fd = options->stats_path ? open_stats_file(options->stats_path) : -1;
	int status = options->stats_path && stats_fd < 0 ? EXIT_SOLE_ERROR : qemu_start(config, &argv, tap_fd, &qemu);
	string_list_free(&argv);
	if (tap_fd >= 0)
		close(tap_fd); /* QEMU has its own */
	if (status == 0 && host_terminal_start(terminal, options->interactive) != 0) {
		cleanup_run();
		status = EXIT_SOLE_ERROR;
	}
	if (status != 0) {
		if (stats_fd >= 0)
			close(stats_fd);
		return status;
	}
	watch_vm(&qemu, options, stats_fd, &outcome);
	if (stats_fd >= 0)
		close(stats_fd);
	host_terminal_restore();
	if (options->syscall_summary)
		report_syscall_summary(options, &outcome.sink.summary.lines);
	struct crash_context crash = {config->kernel_path, binary->host_path, binary->guest_path};
	status = exit_status_of(&outcome, &crash, options->core_path);
	if (!exit_status_line(&outcome))
		qemu_explain_failure(config, &outcome.messages.captured);
	report_missing_files(options, &outcome.sink.missing.lines, status);
	console_sink_free(&outcome.sink);
	byte_buffer_free(&outcome.messages.captured);
	return status;
}

/* The initrd stays in the VM's memory, so a VM too small to hold it next
 * to the kernel cannot boot (QEMU refuses it); say so in sole's words, with
 * a size that leaves the app room to run. */
static int check_initrd_fits(const struct run_options *options, const char *initrd)
{
	/* kernel_room: the first MiB, which PVH leaves alone, and the kernel image */
	const uint64_t mib = 1024 * 1024, kernel_room = 3 * mib / 2, app_room = 16 * mib;
	struct stat info;
	if (stat(initrd, &info) != 0 || (uint64_t)info.st_size + kernel_room <= options->memory_bytes)
		return 0;
	uint64_t suggest = ((uint64_t)info.st_size + app_room + 16 * mib - 1) / (16 * mib) * 16;
	sole_error("the app's files take %llu MiB in the VM, too much for -m %llu MiB; run it with -m %lluM or "
	           "more",
	           (unsigned long long)((uint64_t)info.st_size / mib),
	           (unsigned long long)(options->memory_bytes / mib), (unsigned long long)suggest);
	return EXIT_SOLE_ERROR;
}

static int boot(const struct run_options *options, const struct app_binary *binary)
{
	struct qemu_user qemu_user = {0};
	struct qemu_config config = {
	    .machine = options->machine,
	    .memory_bytes = options->memory_bytes,
	    .cpus = options->cpus,
	    .gdb_port = options->gdb_port,
	    .sandbox = !options->no_sandbox,
	    .user = &qemu_user,
	    .network = &options->network,
	    .volumes = options->volumes,
	    .volume_count = options->volume_count,
	};
	struct byte_buffer boot_config = {0};
	struct host_terminal terminal;
	char *kernel = kernel_image_find(options->kernel_path);
	char *initrd = NULL;
	int status = EXIT_SOLE_ERROR;

	if (kernel && accel_choose(options->accel, &config.accel) == 0 &&
	    host_terminal_describe(options->tty, options->interactive, &terminal) == 0 &&
	    volume_files_stage(options->volumes, options->volume_count) == 0) {
		status = encode_boot_config(options, binary, &terminal, &boot_config);
		if (status == 0)
			status = initrd_create(options, binary, &boot_config, &initrd);
		if (status == 0)
			status = check_initrd_fits(options, initrd);
	}
	if (status != 0) {
		free(initrd);
		initrd = NULL;
	}
	if (initrd) {
		config.kernel_path = kernel;
		config.initrd_path = initrd;
		qemu_user_choose(options, config.accel, &qemu_user);
		status = run_vm(options, binary, &config, &terminal);
		qemu_user_free(&qemu_user);
	}
	cleanup_run();
	byte_buffer_free(&boot_config);
	free(initrd);
	free(kernel);
	return status;
}

/* The app's own PATH: the image's programs are found as its shell would. */
static const char *app_search_path(const struct run_options *options)
{
	for (size_t i = 0; i < options->env.count; i++)
		if (strncmp(options->env.items[i], "PATH=", 5) == 0)
			return options->env.items[i] + 5;
	return NULL;
}

static int run_app(const struct run_options *options)
{
	struct app_binary binary;
	int status = options->rootfs ? app_binary_resolve_in_root(options->rootfs, options->binary,
	                                                          app_search_path(options), options->workdir, &binary)
	                             : app_binary_resolve(options->binary, getenv("PATH"), &binary);

	if (status == 0)
		status = check_binary(&binary);
	if (status == 0 && options->rootfs)
		status = app_libraries_check_in_root(options, binary.guest_path, options->binary);
	if (status == 0)
		status = app_binary_check_executable(&binary);
	if (status == 0)
		status = guest_network_check_host(&options->network);
	if (status == 0)
		status = boot(options, &binary);
	app_binary_free(&binary);
	return status;
}

int run_command(int argc, char **argv)
{
	struct run_options options;
	int status = run_options_parse(&options, argc, argv);

	if (status == 0 && options.help)
		run_options_print_help(stdout);
	else if (status == 0)
		status = run_app(&options);
	run_options_free(&options);
	return status;
}
