/* The table `sole run --syscall-summary` prints at exit, like strace -c:
 * per syscall the time, calls, errors, ENOSYS answers and sole's status,
 * built from the kernel's summary lines; and reading such a table back. */
#include "syscall_summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls/syscall_table.h"
#include "xalloc.h"

#define RULE "------ ----------- ----------- --------- --------- --------- -------------------- -------\n"
#define OUT_OF_RANGE_NAME "(not-x86_64)"

static void add_row(struct syscall_summary *summary, const struct syscall_summary_row *row)
{
	summary->rows = xrealloc(summary->rows, (summary->count + 1) * sizeof(*summary->rows));
	summary->rows[summary->count++] = *row;
}

void syscall_summary_from_lines(const struct string_list *lines, struct syscall_summary *summary)
{
	*summary = (struct syscall_summary){0};
	for (size_t i = 0; i < lines->count; i++) {
		struct syscall_summary_row row;
		if (sscanf(lines->items[i], "%ld %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &row.nr, &row.calls,
			   &row.errors, &row.enosys, &row.nanoseconds) == 5 &&
		    row.nr >= -1 && row.nr < SYSCALL_COUNT)
			add_row(summary, &row);
	}
}

static int by_time_then_calls(const void *a, const void *b)
{
	const struct syscall_summary_row *x = a, *y = b;
	if (x->nanoseconds != y->nanoseconds)
		return x->nanoseconds > y->nanoseconds ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static const char *name_of(long nr)
{
	const struct syscall_info *info = syscall_lookup(nr);
	return info ? info->name : OUT_OF_RANGE_NAME;
}

static const char *status_of(long nr)
{
	const struct syscall_info *info = syscall_lookup(nr);
	return syscall_status_name(info ? info->status : SYSCALL_NONE);
}

void syscall_summary_print(FILE *out, const struct syscall_summary *summary)
{
	struct syscall_summary_row total = {0};
	struct syscall_summary_row *rows = xmalloc((summary->count + 1) * sizeof(*rows));

	memcpy(rows, summary->rows, summary->count * sizeof(*rows));
	qsort(rows, summary->count, sizeof(*rows), by_time_then_calls);
	for (size_t i = 0; i < summary->count; i++) {
		total.calls += rows[i].calls;
		total.errors += rows[i].errors;
		total.enosys += rows[i].enosys;
		total.nanoseconds += rows[i].nanoseconds;
	}
	fprintf(out, "%% time     seconds  usecs/call     calls    errors    enosys %-20s %s\n" RULE, "syscall", "sole");
	for (size_t i = 0; i < summary->count; i++) {
		const struct syscall_summary_row *row = &rows[i];
		double share = total.nanoseconds ? 100.0 * (double)row->nanoseconds / (double)total.nanoseconds : 0;
		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %-20s %s\n", share,
			(double)row->nanoseconds / 1e9, row->calls ? row->nanoseconds / 1000 / row->calls : 0,
			row->calls, row->errors, row->enosys, name_of(row->nr), status_of(row->nr));
	}
	fprintf(out, RULE "100.00 %11.6f %11s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " total\n",
		(double)total.nanoseconds / 1e9, "", total.calls, total.errors, total.enosys);
	free(rows);
}

static long number_of(const char *name)
{
	for (long nr = 0; nr < SYSCALL_COUNT; nr++)
		if (syscall_info[nr].name && strcmp(syscall_info[nr].name, name) == 0)
			return nr;
	return -1;
}

int syscall_summary_read(FILE *in, struct syscall_summary *summary)
{
	char line[256];

	*summary = (struct syscall_summary){0};
	while (fgets(line, sizeof line, in)) {
		struct syscall_summary_row row;
		double share, seconds;
		uint64_t per_call;
		char name[64], status[16];
		if (sscanf(line, "%lf %lf %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %63s %15s", &share, &seconds,
			   &per_call, &row.calls, &row.errors, &row.enosys, name, status) != 8)
			continue; /* the header, the rules and the total */
		row.nr = number_of(name);
		row.nanoseconds = (uint64_t)(seconds * 1e9 + 0.5);
		if (row.nr >= 0 || strcmp(name, OUT_OF_RANGE_NAME) == 0)
			add_row(summary, &row);
	}
	return summary->count ? 0 : -1;
}

void syscall_summary_free(struct syscall_summary *summary)
{
	free(summary->rows);
	*summary = (struct syscall_summary){0};
}
