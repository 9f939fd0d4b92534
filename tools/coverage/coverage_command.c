/* `sole coverage`: will this binary run on sole? The syscalls it may make
 * (static analysis), the ones it really makes (--run), sole's own table. */
#include "coverage_command.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_analysis.h"
#include "coverage_html.h"
#include "coverage_json.h"
#include "coverage_run.h"
#include "coverage_table.h"
#include "coverage_text.h"
#include "diag.h"
#include "exit_codes.h"
#include "paths.h"
#include "xalloc.h"

struct coverage_options {
	bool json;
	bool details;
	bool table;
	bool run;
	bool help;
	const char *html_dir;
	char **binaries; /* or, with --run, the command line */
	int binary_count;
};

static void print_help(FILE *out)
{
	fputs("Usage: sole coverage [--json|--details] BINARY...\n"
	      "       sole coverage --html DIR BINARY...\n"
	      "       sole coverage --run [--json] -- BINARY [ARGS...]\n"
	      "       sole coverage --table [--json]\n"
	      "\n"
	      "Will BINARY run on sole? Reads the binary and every shared library it loads\n"
	      "(found as ld.so would find them), disassembles them, and follows the calls\n"
	      "from what runs (the entry point, initialisers, the imported functions it\n"
	      "uses) to every syscall instruction, to list the syscalls it may make and\n"
	      "how sole handles each (full, partial, stub, none = ENOSYS). Nothing runs.\n"
	      "Syscalls whose number is not a constant are reported, not guessed.\n"
	      "\n"
	      "Options:\n"
	      "      --json       print the result as JSON (one object per BINARY, in an array\n"
	      "                   when there are several)\n"
	      "      --details    every syscall with its status, note and where it is reached\n"
	      "                   from; the syscall sites with unknown numbers; the libraries\n"
	      "      --html DIR   write DIR/index.html: a grid of all syscalls coloured by\n"
	      "                   status, and per BINARY what it needs and the verdict\n"
	      "      --run        boot BINARY ARGS under sole ('sole run --syscall-summary')\n"
	      "                   and report the syscalls it really made\n"
	      "      --table      sole's own syscall table: counts per status and family\n"
	      "  -h, --help       show this help\n"
	      "\n"
	      "BINARY without a '/' is searched on PATH. Exit status: 0; 125 for a bad flag;\n"
	      "126 when BINARY or a library is not an x86_64 ELF; 127 when BINARY is not found.\n",
	      out);
}

static int parse(struct coverage_options *options, int argc, char **argv)
{
	int i = 0;
	*options = (struct coverage_options){0};
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		} else if (strcmp(arg, "--json") == 0) {
			options->json = true;
		} else if (strcmp(arg, "--details") == 0) {
			options->details = true;
		} else if (strcmp(arg, "--table") == 0) {
			options->table = true;
		} else if (strcmp(arg, "--run") == 0) {
			options->run = true;
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			options->help = true;
			return 0;
		} else if (strcmp(arg, "--html") == 0 || strncmp(arg, "--html=", 7) == 0) {
			if (arg[6] == '=')
				options->html_dir = arg + 7;
			else if (i + 1 < argc)
				options->html_dir = argv[++i];
			if (!options->html_dir || !*options->html_dir) {
				sole_error("--html needs a folder: --html DIR");
				return EXIT_SOLE_ERROR;
			}
		} else {
			sole_error("unknown flag '%s' for 'sole coverage' (see 'sole coverage --help')", arg);
			return EXIT_SOLE_ERROR;
		}
	}
	options->binaries = argv + i;
	options->binary_count = argc - i;
	if (options->table && (options->binary_count || options->run || options->html_dir || options->details)) {
		sole_error("--table shows sole's own table and takes no BINARY or other view (only --json)");
		return EXIT_SOLE_ERROR;
	}
	if (!options->table && options->binary_count == 0) {
		sole_error("'sole coverage' needs a BINARY (see 'sole coverage --help')");
		return EXIT_SOLE_ERROR;
	}
	if (options->run && (options->html_dir || options->details)) {
		sole_error("--run reports what one run made; use --html or --details without --run");
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

/* Finds and analyses each binary; returns 0 or the first failure's status. */
static int analyse_all(const struct coverage_options *options, struct coverage_analysis *analyses,
		       struct app_binary *binaries)
{
	for (int i = 0; i < options->binary_count; i++) {
		char problem[512];
		int status = app_binary_resolve(options->binaries[i], getenv("PATH"), &binaries[i]);
		if (status != 0)
			return status;
		if (coverage_analyze(binaries[i].host_path, &analyses[i], problem, sizeof problem) != 0) {
			sole_error("%s", problem);
			return EXIT_NOT_RUNNABLE;
		}
	}
	return 0;
}

static void show(const struct coverage_options *options, const struct coverage_analysis *analyses)
{
	if (options->json && options->binary_count > 1)
		fputs("[\n", stdout);
	for (int i = 0; i < options->binary_count; i++) {
		if (options->json) {
			if (i)
				fputs(",\n", stdout);
			coverage_print_json(stdout, &analyses[i]);
		} else if (options->details) {
			coverage_print_details(stdout, &analyses[i]);
		} else if (!options->html_dir) {
			coverage_print_summary(stdout, &analyses[i]);
		}
	}
	if (options->json && options->binary_count > 1)
		fputs("]\n", stdout);
}

static int analyse_and_show(const struct coverage_options *options)
{
	size_t count = (size_t)options->binary_count;
	struct coverage_analysis *analyses = xcalloc(count, sizeof(*analyses));
	struct app_binary *binaries = xcalloc(count, sizeof(*binaries));
	int status = analyse_all(options, analyses, binaries);

	if (status == 0) {
		show(options, analyses);
		if (options->html_dir && coverage_write_html(options->html_dir, analyses, count) != 0)
			status = EXIT_SOLE_ERROR;
		else if (options->html_dir && !options->json)
			printf("wrote %s/index.html (%zu program%s)\n", options->html_dir, count, count == 1 ? "" : "s");
	}
	for (size_t i = 0; i < count; i++) {
		coverage_analysis_free(&analyses[i]);
		if (binaries[i].host_path)
			app_binary_free(&binaries[i]);
	}
	free(analyses);
	free(binaries);
	return status;
}

int coverage_command(int argc, char **argv)
{
	struct coverage_options options;
	int status = parse(&options, argc, argv);

	if (status != 0)
		return status;
	if (options.help) {
		print_help(stdout);
		return 0;
	}
	if (options.table) {
		coverage_print_table(stdout, options.json);
		return 0;
	}
	if (options.run)
		return coverage_run(options.binary_count, options.binaries, options.json);
	return analyse_and_show(&options);
}
