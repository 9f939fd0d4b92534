/* `sole run`: boot a binary in the sole kernel under QEMU and behave like
 * running it natively. Each step is its own file; this one puts them in order. */
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel.h"
#include "boot_config.h"
#include "cleanup.h"
#include "console_relay.h"
#include "console_sink.h"
#include "crash_report.h"
#include "diag.h"
#include "elf_check.h"
#include "exit_codes.h"
#include "initrd.h"
#include "kernel_image.h"
#include "paths.h"
#include "qemu.h"
#include "run_options.h"

/* What the console delivered while the VM ran. */
struct vm_outcome {
	struct console_demux demux;
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

static void encode_boot_config(const struct run_options *options, const struct app_binary *binary,
			       struct byte_buffer *encoded)
{
	struct string_list argv = {0};

	string_list_append(&argv, binary->as_typed);
	for (int i = 0; i < options->app_arg_count; i++)
		string_list_append(&argv, options->app_args[i]);
	struct boot_config config = {
		.exe = binary->guest_path,
		.argv = &argv,
		.env = &options->env,
		.cwd = options->workdir,
		.trace = options->trace,
		.verbose = options->verbose,
		.terminal = host_terminal_probe(),
	};
	boot_config_encode(&config, encoded);
	string_list_free(&argv);
}

static void describe_qemu_failure(const struct vm_outcome *outcome)
{
	struct line_prefixer lines;
	int status = outcome->qemu_wait_status;

	line_prefixer_init(&lines, STDERR_FILENO, "sole: qemu: ");
	line_prefixer_write(&lines, outcome->messages.captured.data, outcome->messages.captured.length);
	line_prefixer_finish(&lines);
	if (WIFSIGNALED(status))
		sole_error("the VM stopped without an exit status (QEMU killed by signal %d)",
			   WTERMSIG(status));
	else
		sole_error("the VM stopped without an exit status (QEMU exit code %d)",
			   WEXITSTATUS(status));
}

static int exit_status_of(const struct vm_outcome *outcome, const struct crash_context *crash)
{
	int status = EXIT_SOLE_ERROR;

	if (outcome->sink.crash_lines.count > 0)
		status = crash_report_print(stderr, &outcome->sink.crash_lines, crash);
	if (outcome->demux.have_exit_status)
		status = outcome->demux.exit_status;
	else if (outcome->sink.crash_lines.count == 0)
		describe_qemu_failure(outcome);
	if (outcome->sink.stdout_broken_pipe)
		status = EXIT_SIGNAL_BASE + SIGPIPE; /* as a native program killed by SIGPIPE */
	return status;
}

/* Relays the console until QEMU exits, then waits for it. */
static void watch_vm(struct qemu_process *qemu, const struct run_options *options,
		     struct vm_outcome *outcome)
{
	struct line_prefixer live_messages;

	line_prefixer_init(&live_messages, STDERR_FILENO, "sole: qemu: ");
	console_sink_init(&outcome->sink, options->verbose, options->trace);
	console_demux_init(&outcome->demux, console_sink_deliver, &outcome->sink);
	outcome->messages.live = options->verbose ? &live_messages : NULL;
	console_relay_run(qemu, &outcome->demux, &outcome->messages);
	console_sink_finish(&outcome->sink);
	line_prefixer_finish(&live_messages);
	qemu_close_pipes(qemu);
	outcome->qemu_wait_status = cleanup_wait_child();
}

static int run_vm(const struct run_options *options, const struct app_binary *binary,
		  const struct qemu_config *config)
{
	struct string_list argv = {0};
	struct qemu_process qemu;
	struct vm_outcome outcome = {0};

	qemu_build_command(config, &argv);
	if (options->verbose) {
		char *command = qemu_format_command(&argv);
		fprintf(stderr, "sole: qemu command: %s\n", command);
		free(command);
	}
	int status = qemu_start(&argv, &qemu);
	string_list_free(&argv);
	if (status != 0)
		return status;
	watch_vm(&qemu, options, &outcome);
	struct crash_context crash = {config->kernel_path, binary->host_path, binary->guest_path};
	status = exit_status_of(&outcome, &crash);
	console_sink_free(&outcome.sink);
	byte_buffer_free(&outcome.messages.captured);
	return status;
}

static int boot(const struct run_options *options, const struct app_binary *binary)
{
	struct qemu_config config = {.machine = options->machine, .memory_bytes = options->memory_bytes};
	struct byte_buffer boot_config = {0};
	char *kernel = kernel_image_find(options->kernel_path);
	char *initrd = NULL;
	int status = EXIT_SOLE_ERROR;

	if (kernel && accel_choose(options->accel, &config.accel) == 0) {
		encode_boot_config(options, binary, &boot_config);
		initrd = initrd_create(options, binary, &boot_config);
	}
	if (initrd) {
		config.kernel_path = kernel;
		config.initrd_path = initrd;
		status = run_vm(options, binary, &config);
	}
	cleanup_run();
	byte_buffer_free(&boot_config);
	free(initrd);
	free(kernel);
	return status;
}

static int run_app(const struct run_options *options)
{
	struct app_binary binary;
	int status = app_binary_resolve(options->binary, getenv("PATH"), &binary);

	if (status == 0)
		status = check_binary(&binary);
	if (status == 0)
		status = app_binary_check_executable(&binary);
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
