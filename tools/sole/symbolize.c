/* `sole symbolize FILE`: prints the crash report of a crash file that
 * `sole run --core FILE` wrote, on stdout. */
#include "symbolize.h"

#include <stdio.h>
#include <string.h>

#include "crash_file.h"
#include "crash_report.h"
#include "diag.h"
#include "exit_codes.h"

static void print_help(FILE *out)
{
	fputs("Usage: sole symbolize FILE\n"
	      "\n"
	      "Print the crash report (the symbolized backtrace, the cause and the registers)\n"
	      "of a crash file written by 'sole run --core FILE'. The ELF files it names must\n"
	      "still be where they were on this host.\n",
	      out);
}

int symbolize_command(int argc, char **argv)
{
	struct crash_file file;

	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		print_help(stdout);
		return 0;
	}
	if (argc != 1 || argv[0][0] == '-') {
		sole_error("'sole symbolize' takes one crash FILE (see 'sole symbolize --help')");
		return EXIT_SOLE_ERROR;
	}
	int status = crash_file_read(argv[0], &file);
	if (status == 0)
		crash_report_print(stdout, &file.record, &file.context);
	crash_file_free(&file);
	return status;
}
