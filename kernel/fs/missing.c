/* The list of missing paths, see missing.h. Each distinct absolute path is
 * kept once (twice when it was both opened and run); past MAX_NOTED the list
 * stops growing. */
#include "kernel/fs/missing.h"

#include <string.h>

#include "kernel/console.h"
#include "kernel/fs/lookup_at.h"
#include "kernel/fs/vfs.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/hooks.h"

#define MAX_NOTED 512

static char *noted[MAX_NOTED];
static int noted_count;

void missing_note(struct inode *start, const char *path, bool to_run)
{
	char absolute[4096 + sizeof MISSING_RUN_PREFIX];
	size_t prefix = to_run ? strlen(MISSING_RUN_PREFIX) : 0;
	memcpy(absolute, MISSING_RUN_PREFIX, prefix);
	if (noted_count == MAX_NOTED || vfs_absolute_path(current_root(), start, path, absolute + prefix, sizeof absolute - prefix) < 0)
		return;
	for (int i = 0; i < noted_count; i++)
		if (!strcmp(noted[i], absolute))
			return;
	noted[noted_count] = kstrdup(absolute);
	if (noted[noted_count])
		noted_count++;
}

static void missing_report(void)
{
	for (int i = 0; i < noted_count; i++) {
		console_write(WIRE_MISSING, noted[i], strlen(noted[i]));
		console_write(WIRE_MISSING, "\n", 1);
	}
}
EXIT_REPORT(missing_report);
