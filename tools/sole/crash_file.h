/* Crash files: `sole run --core FILE` keeps the crash record there with the
 * host paths of the ELF files it names, and `sole symbolize FILE` reads it
 * back. The format is the record's own lines after a small header. */
#ifndef SOLE_CRASH_FILE_H
#define SOLE_CRASH_FILE_H

#include "crash_objects.h"
#include "string_list.h"

/* Writes the file; 0, or prints the problem and returns the exit status. */
int crash_file_write(const char *path, const struct string_list *record, const struct crash_context *context);

/* What a crash file holds; the context's strings point into paths. */
struct crash_file {
	struct string_list record;
	struct string_list paths;
	struct crash_context context;
};

/* Reads the file; 0, or prints the problem and returns the exit status. */
int crash_file_read(const char *path, struct crash_file *file);
void crash_file_free(struct crash_file *file);

#endif
