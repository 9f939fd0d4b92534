/* `sole coverage --table`: sole's own syscall table at a glance, counts per
 * status and per family, read from the same generated data as docs/SYSCALLS.md. */
#include "coverage_table.h"

#include "syscalls/syscall_table.h"

static const enum syscall_status columns[] = {SYSCALL_FULL, SYSCALL_PARTIAL, SYSCALL_STUB, SYSCALL_NONE};
#define COLUMN_COUNT (sizeof columns / sizeof *columns)

static void count(int by_family[SYSCALL_FAMILY_COUNT + 1][SYSCALL_FULL + 1])
{
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		const struct syscall_info *info = syscall_lookup(nr);
		if (!info)
			continue;
		by_family[info->family][info->status]++;
		by_family[SYSCALL_FAMILY_COUNT][info->status]++;
	}
}

static void print_json(FILE *out, int by_family[SYSCALL_FAMILY_COUNT + 1][SYSCALL_FULL + 1])
{
	fputs("{\n  \"syscalls\": [", out);
	const char *separator = "\n";
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		const struct syscall_info *info = syscall_lookup(nr);
		if (!info)
			continue;
		fprintf(out, "%s    {\"nr\": %ld, \"name\": \"%s\", \"status\": \"%s\", \"family\": \"%s\"}", separator,
			nr, info->name, syscall_status_name(info->status), syscall_family_name(info->family));
		separator = ",\n";
	}
	fputs("\n  ],\n  \"totals\": {", out);
	for (size_t c = 0; c < COLUMN_COUNT; c++)
		fprintf(out, "%s\"%s\": %d", c ? ", " : "", syscall_status_name(columns[c]),
			by_family[SYSCALL_FAMILY_COUNT][columns[c]]);
	fputs("}\n}\n", out);
}

void coverage_print_table(FILE *out, bool json)
{
	int by_family[SYSCALL_FAMILY_COUNT + 1][SYSCALL_FULL + 1] = {{0}};

	count(by_family);
	if (json) {
		print_json(out, by_family);
		return;
	}
	fprintf(out, "sole's syscall table (syscalls/syscalls.tbl): full and partial count as implemented\n\n");
	fprintf(out, "%-10s", "family");
	for (size_t c = 0; c < COLUMN_COUNT; c++)
		fprintf(out, " %8s", syscall_status_name(columns[c]));
	fprintf(out, " %8s\n", "total");
	for (int family = 0; family <= SYSCALL_FAMILY_COUNT; family++) {
		int total = 0;
		if (family == SYSCALL_FAMILY_COUNT)
			fprintf(out, "%-10s", "all");
		else
			fprintf(out, "%-10s", syscall_family_name((enum syscall_family)family));
		for (size_t c = 0; c < COLUMN_COUNT; c++) {
			fprintf(out, " %8d", by_family[family][columns[c]]);
			total += by_family[family][columns[c]];
		}
		fprintf(out, " %8d\n", total);
	}
}
