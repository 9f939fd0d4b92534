/* Programs a binary may run by absolute path: string literals such as
 * "/bin/sh" or "/usr/sbin/sendmail" in its read-only data. sole run puts
 * only the app, its libraries and /bin/sh in the VM, so `sole coverage`
 * names the others for --copy. Pure code over bytes: unit-tested. */
#ifndef SOLE_COVERAGE_PROGRAM_PATHS_H
#define SOLE_COVERAGE_PROGRAM_PATHS_H

#include <stddef.h>
#include <stdint.h>

struct program_paths {
	char **paths; /* sorted, each once */
	size_t count;
};

/* Adds every NUL-terminated string in bytes that is an absolute path under
 * a folder of programs (/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin,
 * /usr/local/sbin, /usr/libexec), with a file name after it. */
void program_paths_scan(struct program_paths *found, const uint8_t *bytes, size_t size);
void program_paths_free(struct program_paths *found);

#endif
