/* Checks the generated syscall_info[] and the helpers in syscall_table.h, built
 * with the project's host flags, as `sole coverage` uses them. */
#include <stdio.h>
#include <string.h>

#include "syscalls/syscall_table.h"

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

int main(void)
{
	const struct syscall_info *read_info = syscall_lookup(0);
	expect(read_info && strcmp(read_info->name, "read") == 0, "0 is read");
	expect(read_info && read_info->args && read_info->note, "read has args and a note");
	expect(syscall_lookup(-1) == NULL, "-1 is out of range");
	expect(syscall_lookup(SYSCALL_COUNT) == NULL, "SYSCALL_COUNT is out of range");
	expect(syscall_lookup(SYSCALL_COUNT - 1) != NULL, "the last number is a syscall");
	expect(syscall_lookup(400) == NULL, "400 is a hole");

	int rows = 0, implemented = 0;
	for (long nr = 0; nr < SYSCALL_COUNT; nr++) {
		const struct syscall_info *info = syscall_lookup(nr);
		if (!info)
			continue;
		rows++;
		implemented += syscall_is_implemented(info->status);
		expect(info->note != NULL, "every note is a string");
		expect(info->family < SYSCALL_FAMILY_COUNT, "family in range");
		expect(strcmp(syscall_status_name(info->status), "?") != 0, "status has a name");
		expect(strcmp(syscall_family_name(info->family), "?") != 0, "family has a name");
	}
	expect(rows > 300, "more than 300 syscalls");
	expect(implemented > 0 && implemented < rows, "some, not all, implemented");
	expect(!syscall_is_implemented(SYSCALL_STUB), "a stub is not implemented");
	expect(syscall_is_implemented(SYSCALL_PARTIAL), "partial is implemented");
	expect(strcmp(syscall_status_name(SYSCALL_FULL), "full") == 0, "full's name");
	expect(strcmp(syscall_family_name(SYSCALL_FAMILY_NET), "net") == 0, "net's name");

	printf("%d syscalls, %d implemented\n", rows, implemented);
	return failures ? 1 : 0;
}
