/* Files an interpreter loads at run time that no ELF header names (its
 * standard library, its extension modules and their libraries). One small
 * rule per interpreter; docs/runtime-bundles.md lists them. */
#ifndef SOLE_RUNTIME_BUNDLES_H
#define SOLE_RUNTIME_BUNDLES_H

#include "cpio_writer.h"
#include "run_options.h"

/* Adds the bundle of the binary at host_path, if a rule matches it.
 * Returns 0, or prints what is wrong and returns the exit status. */
int runtime_bundles_add(struct cpio_archive *archive, const char *host_path, const struct run_options *options);

#endif
