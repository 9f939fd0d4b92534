/* Paths the app tried to open or run that are not in the VM, reported to
 * the host at exit on the console's missing-files stream (sole run
 * --missing-files, and the --copy hint when the app fails). */
#ifndef SOLE_MISSING_H
#define SOLE_MISSING_H

#include <stdbool.h>

#include "platforms/console_wire.h"

struct inode;

/* Notes an open (or with to_run, an exec) of path from start that failed
 * with ENOENT. */
void missing_note(struct inode *start, const char *path, bool to_run);

#endif
