/* Tests the crash report: the headline, registers, and a backtrace whose
 * app addresses are named through this test's own symbol table, relocated
 * with the crash record's map lines as for a position-independent app. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crash_report.h"
#include "exit_codes.h"
#include "xalloc.h"

__attribute__((noinline)) void crash_test_marker(void)
{
	__asm__ volatile("nop; nop; nop; nop; nop; nop; nop; nop");
}

static int find_main_program(struct dl_phdr_info *info, size_t size, void *base)
{
	(void)size;
	*(uintptr_t *)base = info->dlpi_addr; /* the first one is the program itself */
	return 1;
}

static char *report_for(struct string_list *lines, const struct crash_context *context, int *status)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	*status = crash_report_print(out, lines, context);
	fclose(out);
	return text;
}

static void check_user_fault(void)
{
	uintptr_t base = 0;
	dl_iterate_phdr(find_main_program, &base);
	uintptr_t rip = (uintptr_t)crash_test_marker + 5;
	struct string_list lines = {0};
	string_list_append(&lines, "crash 1");
	string_list_append(&lines, "kind user-fault");
	string_list_append(&lines, "signal 11");
	string_list_append(&lines, "cause page-fault");
	string_list_append(&lines, "detail write to unmapped address");
	string_list_append(&lines, "addr 0x0");
	string_list_append(&lines, "error 0x6");
	string_list_append_owned(&lines, xasprintf("reg rip 0x%" PRIxPTR, rip));
	string_list_append(&lines, "reg rsp 0x7ffffffde000");
	string_list_append_owned(&lines, xasprintf("map 0x%" PRIxPTR " 0x%" PRIxPTR " r-x 0x0 /bin/app",
							    base, base + 0x100000));
	string_list_append(&lines, "map 0x7ffff7000000 0x7ffff7100000 r-x 0x2000 /lib/libc.so");
	string_list_append(&lines, "frame 0x7ffff7000010");
	string_list_append(&lines, "frame 0xffffffff80104a3c");
	string_list_append(&lines, "future-key something");
	string_list_append(&lines, "end");

	struct crash_context context = {NULL, "/proc/self/exe", "/bin/app"};
	int status;
	char *report = report_for(&lines, &context, &status);
	char *headline = xasprintf("sole: app killed by SIGSEGV (signal 11): write to unmapped "
					    "address at rip 0x%" PRIxPTR "\n", rip);
	CHECK(status == 139);
	CHECK(strncmp(report, headline, strlen(headline)) == 0);
	CHECK(strstr(report, "cause page-fault, address 0x0, error code 0x6") != NULL);
	CHECK(strstr(report, "rsp 0x7ffffffde000") != NULL);
	CHECK(strstr(report, "#0 0x") != NULL && strstr(report, " in crash_test_marker (test_crash_report.c:") != NULL);
	CHECK(strstr(report, "#1 0x7ffff7000010 in /lib/libc.so+0x2010 (not found on the host)") != NULL);
	CHECK(strstr(report, "#2 0xffffffff80104a3c (in the kernel; its symbols could not be read)") != NULL);
	if (checks_failed)
		fputs(report, stderr);
	free(headline);
	free(report);
	string_list_free(&lines);
}

static void check_kernel_panic(void)
{
	struct string_list lines = {0};
	string_list_append(&lines, "crash 1");
	string_list_append(&lines, "kind kernel-panic");
	string_list_append(&lines, "detail out of memory in page_alloc");
	string_list_append(&lines, "reg rip 0xffffffff80104a3c");
	string_list_append(&lines, "frame 0xffffffff80104a3c");
	string_list_append(&lines, "frame 0xffffffff80100123");

	struct crash_context context = {"/nonexistent/kernel.elf", "/proc/self/exe", "/bin/app"};
	int status;
	char *report = report_for(&lines, &context, &status);
	CHECK(status == EXIT_SOLE_ERROR);
	CHECK(strncmp(report, "sole: kernel panic: out of memory in page_alloc at rip 0xffffffff80104a3c\n",
		      strlen("sole: kernel panic: out of memory in page_alloc at rip 0xffffffff80104a3c\n")) == 0);
	CHECK(strstr(report, "#0 0xffffffff80104a3c (in the kernel") != NULL);
	CHECK(strstr(report, "#1 0xffffffff80100123 (in the kernel") != NULL);
	CHECK(strstr(report, "#2") == NULL); /* the first frame repeats rip */
	if (checks_failed)
		fputs(report, stderr);
	free(report);
	string_list_free(&lines);
}

int main(void)
{
	crash_test_marker();
	check_user_fault();
	check_kernel_panic();
	return check_summary("crash_report");
}
