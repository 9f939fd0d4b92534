/* The sole command: dispatches to its subcommands and prints the overview. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "coverage_command.h"
#include "diag.h"
#include "exit_codes.h"
#include "run.h"
#include "sole_config.h"
#include "symbolize.h"

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
	{"run", run_command, "boot a Linux x86_64 binary as the only process of a VM"},
	{"coverage", coverage_command, "will a binary run? the syscalls it may make and which of them sole has"},
	{"symbolize", symbolize_command, "print the crash report of a file written by 'sole run --core'"},
};

static void print_usage(FILE *out)
{
	fputs("Usage: sole COMMAND [OPTIONS] ...\n"
	      "\n"
	      "sole boots an unmodified Linux x86_64 binary as the only process of a tiny\n"
	      "kernel under QEMU.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(*subcommands); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help     show this help\n"
	      "      --version  show sole's version\n"
	      "\n"
	      "Run 'sole COMMAND --help' for a command's options.\n",
	      out);
}

/* A closed fd 0, 1 or 2 would be reused by the next open and confuse the
 * relay; /dev/null stands in for it (reads as empty, swallows writes). */
static void open_missing_standard_fds(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_SOLE_ERROR);
	}
}

int main(int argc, char **argv)
{
	open_missing_standard_fds();
	cleanup_install_signal_handlers();
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_SOLE_ERROR;
	}
	const char *command = argv[1];
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(command, "--version") == 0) {
		printf("sole %s\n", SOLE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(*subcommands); i++)
		if (strcmp(command, subcommands[i].name) == 0)
			return subcommands[i].run(argc - 2, argv + 2);
	if (command[0] == '-')
		sole_error("unknown flag '%s' (see 'sole --help')", command);
	else
		sole_error("unknown command '%s' (see 'sole --help')", command);
	return EXIT_SOLE_ERROR;
}
