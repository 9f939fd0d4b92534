/* `sole coverage --run -- BINARY ARGS`: boots the program under sole with
 * --syscall-summary and reports the syscalls it really made, their statuses
 * and the ENOSYS answers, next to the static set. */
#include "coverage_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coverage_analysis.h"
#include "coverage_json.h"
#include "diag.h"
#include "exit_codes.h"
#include "paths.h"
#include "syscall_summary.h"
#include "xalloc.h"

/* Runs `sole run --syscall-summary=FILE -- BINARY ARGS` (this very program)
 * with the app's stdio passed through. Returns its exit status. */
static int run_with_summary(int argc, char **argv, const char *summary_path)
{
	char *flag = xasprintf("--syscall-summary=%s", summary_path);
	char **child_argv = xcalloc((size_t)argc + 5, sizeof(char *));
	child_argv[0] = "sole";
	child_argv[1] = "run";
	child_argv[2] = flag;
	child_argv[3] = "--";
	memcpy(child_argv + 4, argv, (size_t)argc * sizeof(char *));
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		execv("/proc/self/exe", child_argv);
		_exit(EXIT_SOLE_ERROR);
	}
	int status = -1;
	if (child > 0)
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	free(child_argv);
	free(flag);
	if (child < 0 || status == -1)
		return EXIT_SOLE_ERROR;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SIGNAL_BASE + WTERMSIG(status);
}

static void print_text(const struct syscall_summary *summary, const char *binary, int app_status,
		       const struct coverage_analysis *analysis, bool have_analysis)
{
	int by_status[SYSCALL_FULL + 1] = {0};
	uint64_t calls = 0, enosys = 0;
	for (size_t i = 0; i < summary->count; i++) {
		const struct syscall_info *info = syscall_lookup(summary->rows[i].nr);
		by_status[info ? info->status : SYSCALL_NONE]++;
		calls += summary->rows[i].calls;
		enosys += summary->rows[i].enosys;
	}
	printf("%s ran under sole (exit status %d) and made %zu distinct syscalls, %llu calls:\n", binary, app_status,
	       summary->count, (unsigned long long)calls);
	printf("  full %d · partial %d · stub %d · none %d\n", by_status[SYSCALL_FULL], by_status[SYSCALL_PARTIAL],
	       by_status[SYSCALL_STUB], by_status[SYSCALL_NONE]);
	printf("  ENOSYS answered %llu time%s", (unsigned long long)enosys, enosys == 1 ? "" : "s");
	for (size_t i = 0, shown = 0; i < summary->count; i++)
		if (summary->rows[i].enosys) {
			const struct syscall_info *info = syscall_lookup(summary->rows[i].nr);
			printf("%s%s", shown++ ? ", " : ": ", info ? info->name : "(not x86_64)");
		}
	putchar('\n');
	if (have_analysis) {
		int missing = 0;
		for (size_t i = 0; i < summary->count; i++)
			missing += summary->rows[i].nr >= 0 && !syscall_set_has(&analysis->needed, summary->rows[i].nr);
		printf("  the static analysis found %d syscalls; %s\n", syscall_set_count(&analysis->needed),
		       missing ? "some observed ones are missing from it:" : "every observed one is in it");
		for (size_t i = 0; i < summary->count; i++)
			if (summary->rows[i].nr >= 0 && !syscall_set_has(&analysis->needed, summary->rows[i].nr))
				printf("    %s\n", syscall_info[summary->rows[i].nr].name);
	}
	putchar('\n');
	syscall_summary_print(stdout, summary);
}

static void print_json(const struct syscall_summary *summary, const char *binary, int app_status)
{
	printf("{\n  \"binary\": ");
	json_print_string(stdout, binary);
	printf(",\n  \"exit_status\": %d,\n  \"syscalls\": [", app_status);
	for (size_t i = 0; i < summary->count; i++) {
		const struct syscall_summary_row *row = &summary->rows[i];
		const struct syscall_info *info = syscall_lookup(row->nr);
		printf("%s\n    {\"nr\": %ld, \"name\": \"%s\", \"status\": \"%s\", \"calls\": %llu, \"errors\": %llu, "
		       "\"enosys\": %llu, \"seconds\": %.6f}",
		       i ? "," : "", row->nr, info ? info->name : "(not x86_64)",
		       syscall_status_name(info ? info->status : SYSCALL_NONE), (unsigned long long)row->calls,
		       (unsigned long long)row->errors, (unsigned long long)row->enosys, (double)row->nanoseconds / 1e9);
	}
	printf("\n  ]\n}\n");
}

int coverage_run(int argc, char **argv, bool json)
{
	const char *tmp = getenv("TMPDIR");
	char *summary_path = xasprintf("%s/sole-summary-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(summary_path);
	if (fd < 0) {
		sole_error("--run: cannot create a temporary file in %s: %s (set TMPDIR)", tmp ? tmp : "/tmp",
			   strerror(errno));
		free(summary_path);
		return EXIT_SOLE_ERROR;
	}
	close(fd);
	int app_status = run_with_summary(argc, argv, summary_path);
	struct syscall_summary summary;
	FILE *in = fopen(summary_path, "r");
	int read = in ? syscall_summary_read(in, &summary) : -1;
	if (in)
		fclose(in);
	unlink(summary_path);
	free(summary_path);
	if (read != 0) {
		sole_error("--run: %s did not run under sole (status %d), so there is no dynamic coverage", argv[0],
			   app_status);
		return app_status ? app_status : EXIT_SOLE_ERROR;
	}
	struct app_binary binary;
	struct coverage_analysis analysis;
	char problem[512];
	bool have_binary = app_binary_resolve(argv[0], getenv("PATH"), &binary) == 0;
	bool have_analysis = have_binary && coverage_analyze(binary.host_path, &analysis, problem, sizeof problem) == 0;
	if (json)
		print_json(&summary, argv[0], app_status);
	else
		print_text(&summary, argv[0], app_status, &analysis, have_analysis);
	if (have_analysis)
		coverage_analysis_free(&analysis);
	if (have_binary)
		app_binary_free(&binary);
	syscall_summary_free(&summary);
	return 0;
}
