/* Crash files, see crash_file.h:
 *
 *     sole-crash 1
 *     host-kernel /usr/lib/sole/sole-kernel.elf
 *     host-app /home/me/build/crash      # the app's ELF on the host
 *     guest-app /crash                   # the same file's path in the guest
 *     crash 1                            # the record, docs/crash-record.md
 *     ...
 *     end
 */
#define _GNU_SOURCE
#include "crash_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "exit_codes.h"
#include "xalloc.h"

#define MAGIC "sole-crash 1"

static void put_path(FILE *out, const char *key, const char *path)
{
	char *absolute = path ? realpath(path, NULL) : NULL;

	if (path)
		fprintf(out, "%s %s\n", key, absolute ? absolute : path);
	free(absolute);
}

int crash_file_write(const char *path, const struct string_list *record, const struct crash_context *context)
{
	FILE *out = fopen(path, "w");

	if (!out) {
		sole_error("--core %s: cannot write the crash file: %s", path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	fprintf(out, "%s\n", MAGIC);
	put_path(out, "host-kernel", context->kernel_elf);
	put_path(out, "host-app", context->app_host_path);
	if (context->app_guest_path)
		fprintf(out, "guest-app %s\n", context->app_guest_path);
	for (size_t i = 0; i < record->count; i++)
		fprintf(out, "%s\n", record->items[i]);
	if (fclose(out) != 0) {
		sole_error("--core %s: cannot write the crash file: %s", path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	return 0;
}

/* A header line "key value": keeps value and points *field at it. */
static bool take_header(struct crash_file *file, const char *line, const char *key, const char **field)
{
	size_t length = strlen(key);

	if (strncmp(line, key, length) != 0 || line[length] != ' ')
		return false;
	string_list_append(&file->paths, line + length + 1);
	*field = file->paths.items[file->paths.count - 1];
	return true;
}

int crash_file_read(const char *path, struct crash_file *file)
{
	FILE *in = fopen(path, "r");
	char *line = NULL;
	size_t capacity = 0;
	ssize_t length;
	int status = 0;

	*file = (struct crash_file){0};
	if (!in) {
		sole_error("%s: cannot read the crash file: %s", path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	for (size_t number = 1; (length = getline(&line, &capacity, in)) >= 0; number++) {
		if (length > 0 && line[length - 1] == '\n')
			line[length - 1] = '\0';
		if (number == 1 && strcmp(line, MAGIC) != 0) {
			sole_error("%s: not a crash file (it should start with '%s'); write one with "
				   "'sole run --core FILE'",
				   path, MAGIC);
			status = EXIT_SOLE_ERROR;
			break;
		}
		if (number == 1 || take_header(file, line, "host-kernel", &file->context.kernel_elf) ||
		    take_header(file, line, "host-app", &file->context.app_host_path) ||
		    take_header(file, line, "guest-app", &file->context.app_guest_path))
			continue;
		string_list_append(&file->record, line);
	}
	free(line);
	fclose(in);
	if (status == 0 && file->record.count == 0) {
		sole_error("%s: the crash file holds no crash record", path);
		status = EXIT_SOLE_ERROR;
	}
	return status;
}

void crash_file_free(struct crash_file *file)
{
	string_list_free(&file->record);
	string_list_free(&file->paths);
	*file = (struct crash_file){0};
}
