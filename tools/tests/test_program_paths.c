/* Tests finding the programs a binary names by absolute path in its
 * read-only data (tools/coverage/program_paths.c). */
#include <string.h>

#include "check.h"
#include "program_paths.h"

/* Scans a block of NUL-separated strings given as one literal. */
static struct program_paths scan(const char *block, size_t size)
{
	struct program_paths found = {0};
	program_paths_scan(&found, (const uint8_t *)block, size);
	return found;
}

int main(void)
{
	static const char rodata[] = "usage: %s\0/bin/sh\0-c\0/usr/sbin/sendmail\0/usr/bin/%s\0/etc/passwd\0"
	                             "/usr/lib/x86_64-linux-gnu\0/bin/\0/usr/local/bin/tool-2.1\0/bin/sh\0"
	                             "prefix/bin/cat\0/usr/libexec/helper";
	struct program_paths found = scan(rodata, sizeof rodata - 1); /* the last one ends the block unterminated */
	CHECK(found.count == 3);
	if (found.count == 3) {
		CHECK_STRING(found.paths[0], "/bin/sh"); /* sorted, each once */
		CHECK_STRING(found.paths[1], "/usr/local/bin/tool-2.1");
		CHECK_STRING(found.paths[2], "/usr/sbin/sendmail");
	}
	program_paths_free(&found);

	found = scan("", 0);
	CHECK(found.count == 0);
	program_paths_free(&found);
	return check_summary("program_paths");
}
