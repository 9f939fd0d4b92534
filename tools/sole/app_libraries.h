/* What a dynamic binary needs besides itself: its ELF interpreter and every
 * shared library ld.so would load (tools/sole/libdeps.c finds them), placed
 * in the initrd at the paths ld.so searches. */
#ifndef SOLE_APP_LIBRARIES_H
#define SOLE_APP_LIBRARIES_H

#include <stdbool.h>

#include "cpio_writer.h"
#include "paths.h"
#include "run_options.h"

/* Adds the interpreter and libraries of host_path (a program, or a shared
 * object that a program loads). Returns 0 (also for a static binary). When
 * something is missing it prints what: with required (the app itself) as an
 * error, returning the exit status; otherwise (another program placed in
 * the VM) as a warning, returning 0. */
int app_libraries_add(struct cpio_archive *archive, const char *host_path, const char *as_typed,
		      const struct run_options *options, bool required);
/* sole run --rootfs: checks that the interpreter and every library of the
 * image's program at guest_path are in the image folder, where ld.so will
 * find them in the VM. Returns 0, or prints what is missing and returns
 * 127, as ld.so's own failure in a container would. */
int app_libraries_check_in_root(const struct run_options *options, const char *guest_path, const char *as_typed);
/* Whether host_path is an executable ELF file (a program to run in the VM,
 * whose libraries must come along). */
bool app_libraries_is_program(const char *host_path);

#endif
