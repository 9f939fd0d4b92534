/* What a dynamic binary needs besides itself: its ELF interpreter and every
 * shared library ld.so would load (tools/sole/libdeps.c finds them), placed
 * in the initrd at the paths ld.so searches. */
#ifndef SOLE_APP_LIBRARIES_H
#define SOLE_APP_LIBRARIES_H

#include "cpio_writer.h"
#include "paths.h"
#include "run_options.h"

/* Adds the interpreter and libraries of host_path (a program, or a shared
 * object that a program loads). Returns 0 (also for a static binary), or prints what is missing and returns the exit status. */
int app_libraries_add(struct cpio_archive *archive, const char *host_path, const char *as_typed,
		      const struct run_options *options);

#endif
