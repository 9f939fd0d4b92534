/* How the syscalls a program may make split over sole's statuses, and the
 * one-line verdict every view of the coverage report shares. */
#include "coverage_verdict.h"

#include <stdio.h>
#include <string.h>

#include "elf_check.h"

#define NAMES_IN_VERDICT 6

const char *verdict_kind_name(enum verdict_kind kind)
{
	static const char *const names[] = {[VERDICT_LIKELY] = "likely to run", [VERDICT_STUBS] = "likely to run",
					    [VERDICT_ENOSYS] = "may hit ENOSYS",
					    [VERDICT_NOT_RUNNABLE] = "does not run yet"};
	return names[kind];
}

static enum syscall_status status_of(long nr)
{
	const struct syscall_info *info = syscall_lookup(nr);
	return info ? info->status : SYSCALL_NONE;
}

/* Appends up to NAMES_IN_VERDICT names of the needed syscalls with status. */
static void list_names(const struct syscall_set *set, enum syscall_status status, int count, char *text,
		       size_t size)
{
	int shown = 0;
	size_t used = strlen(text);
	for (long nr = 0; nr < SYSCALL_COUNT && shown < NAMES_IN_VERDICT; nr++) {
		if (!syscall_set_has(set, nr) || status_of(nr) != status)
			continue;
		used += (size_t)snprintf(text + used, used < size ? size - used : 0, "%s%s", shown ? ", " : " (",
					 syscall_info[nr].name);
		shown++;
	}
	if (shown)
		snprintf(text + used, used < size ? size - used : 0, "%s)", count > shown ? ", ..." : "");
}

void coverage_verdict_of(const struct coverage_analysis *analysis, struct coverage_verdict *verdict)
{
	char problem[256];

	*verdict = (struct coverage_verdict){0};
	for (long nr = 0; nr < SYSCALL_COUNT; nr++)
		if (syscall_set_has(&analysis->needed, nr)) {
			verdict->by_status[status_of(nr)]++;
			verdict->total++;
		}
	int none = verdict->by_status[SYSCALL_NONE], stubs = verdict->by_status[SYSCALL_STUB];
	if (elf_check_runnable(analysis->binary, problem, sizeof problem) != 0) {
		verdict->kind = VERDICT_NOT_RUNNABLE;
		snprintf(verdict->text, sizeof verdict->text, "does not run yet: sole refuses it: %s", problem);
	} else if (none) {
		verdict->kind = VERDICT_ENOSYS;
		snprintf(verdict->text, sizeof verdict->text,
			 "may hit ENOSYS: %d syscall%s it may make %s not implemented", none, none == 1 ? "" : "s",
			 none == 1 ? "is" : "are");
		list_names(&analysis->needed, SYSCALL_NONE, none, verdict->text, sizeof verdict->text);
		size_t used = strlen(verdict->text);
		snprintf(verdict->text + used, sizeof verdict->text - used,
			 "; many programs cope with ENOSYS: check with 'sole coverage --run'");
	} else if (stubs) {
		verdict->kind = VERDICT_STUBS;
		snprintf(verdict->text, sizeof verdict->text,
			 "likely to run: every syscall it may make is handled, %d by a stub with a fixed answer", stubs);
		list_names(&analysis->needed, SYSCALL_STUB, stubs, verdict->text, sizeof verdict->text);
	} else {
		verdict->kind = VERDICT_LIKELY;
		snprintf(verdict->text, sizeof verdict->text, "likely to run: sole implements every syscall it may make");
	}
}

void coverage_describe_kind(const struct coverage_analysis *analysis, char *text, size_t size)
{
	size_t libraries = analysis->object_count - 1 - (analysis->deps.interpreter_real_path ? 1 : 0);
	if (analysis->dynamic)
		snprintf(text, size, "%s, dynamic: %zu librar%s", analysis->position_independent ? "PIE" : "non-PIE",
			 libraries, libraries == 1 ? "y" : "ies");
	else
		snprintf(text, size, "%s", analysis->position_independent ? "static-PIE" : "static");
}
