/* The plain-text views of a coverage analysis: the summary a user reads
 * first, and --details (every syscall with its status and who leads to it,
 * the numbers not recovered, the libraries). */
#include "coverage_text.h"

#include <string.h>

#include "coverage_verdict.h"

#define IMPORTS_SHOWN 4

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* "/bin/sh" is in every VM; the others must be --copy'd if the app runs them. */
static void print_program_paths(FILE *out, const struct program_paths *programs)
{
	if (!programs->count)
		return;
	fprintf(out, "  names %zu program%s it may run:", programs->count, programs->count == 1 ? "" : "s");
	for (size_t i = 0; i < programs->count; i++)
		fprintf(out, "%s %s%s", i ? "," : "", programs->paths[i],
		        !strcmp(programs->paths[i], "/bin/sh") ? " (in the VM by default)" : "");
	fprintf(out,
	        "\n  (sole run puts only the app and /bin/sh in the VM: add a program it runs with --copy PATH)\n");
}

void coverage_print_summary(FILE *out, const struct coverage_analysis *analysis)
{
	struct coverage_verdict verdict;
	char kind[64];

	coverage_verdict_of(analysis, &verdict);
	coverage_describe_kind(analysis, kind, sizeof kind);
	fprintf(out, "%s (%s) may make %d distinct syscalls:\n", base_name(analysis->binary), kind, verdict.total);
	fprintf(out, "  full %d · partial %d · stub %d · none %d\n", verdict.by_status[SYSCALL_FULL],
	        verdict.by_status[SYSCALL_PARTIAL], verdict.by_status[SYSCALL_STUB], verdict.by_status[SYSCALL_NONE]);
	for (size_t i = 0; i < analysis->deps.missing_count; i++)
		fprintf(out, "  missing library %s (needed by %s): its syscalls are not counted\n",
		        analysis->deps.missing[i].soname, analysis->deps.missing[i].needed_by);
	if (analysis->unknown_count)
		fprintf(out, "  %zu syscall site%s with a number the analysis cannot tell (see --details)\n",
		        analysis->unknown_count, analysis->unknown_count == 1 ? "" : "s");
	print_program_paths(out, &analysis->programs);
	fprintf(out, "verdict: %s\n", verdict.text);
}

/* "own code, ld.so, imports: epoll_wait, epoll_pwait (+3)" */
static void print_sources(FILE *out, const struct coverage_analysis *analysis, long nr)
{
	const char *separator = "";
	if (syscall_set_has(&analysis->from_binary, nr)) {
		fprintf(out, "own code");
		separator = ", ";
	}
	if (syscall_set_has(&analysis->from_loader, nr)) {
		fprintf(out, "%sld.so", separator);
		separator = ", ";
	}
	if (syscall_set_has(&analysis->from_library_start, nr)) {
		fprintf(out, "%slibrary start-up", separator);
		separator = ", ";
	}
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < analysis->import_count; i++) {
		if (!syscall_set_has(&analysis->imports[i].syscalls, nr))
			continue;
		if (total++ < IMPORTS_SHOWN) {
			fprintf(out, "%s%s%s", shown ? ", " : separator,
			        shown ? "" : "imports: ", analysis->imports[i].name);
			shown++;
		}
	}
	if (total > shown)
		fprintf(out, " (+%zu)", total - shown);
	if (!*separator && !total)
		fprintf(out, "callbacks and data tables");
}

void coverage_print_details(FILE *out, const struct coverage_analysis *analysis)
{
	coverage_print_summary(out, analysis);
	fprintf(out, "\n%4s  %-24s %-8s %s\n", "nr", "syscall", "status", "reached from");
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		if (!syscall_set_has(&analysis->needed, nr))
			continue;
		const struct syscall_info *info = syscall_lookup(nr);
		fprintf(out, "%4ld  %-24s %-8s ", nr, info ? info->name : "?",
		        syscall_status_name(info ? info->status : SYSCALL_NONE));
		print_sources(out, analysis, nr);
		fputc('\n', out);
		if (info && info->status != SYSCALL_FULL && info->note && *info->note)
			fprintf(out, "%4s  %-24s %-8s note: %s\n", "", "", "", info->note);
	}
	if (analysis->unknown_count) {
		fprintf(out, "\nsyscall sites whose number is not a constant the analysis can follow\n"
		             "(their syscalls are not in the set above):\n");
		for (size_t i = 0; i < analysis->unknown_count; i++) {
			const struct coverage_unknown *site = &analysis->unknown[i];
			fprintf(out, "  %s: 0x%llx in %s+0x%llx\n", site->object, (unsigned long long)site->address,
			        site->function ? site->function : "function",
			        (unsigned long long)(site->address - site->function_start));
		}
	}
	fprintf(out, "\nobjects analysed (%.2f s):\n", analysis->seconds);
	for (size_t i = 0; i < analysis->object_count; i++) {
		const struct coverage_object *object = &analysis->objects[i];
		fprintf(out, "  %-28s %s: %zu instructions, %zu of %zu functions reachable\n", base_name(object->name),
		        object->path, object->instructions, object->reachable_functions, object->functions);
	}
}
