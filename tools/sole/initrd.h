/* Packs the guest's root filesystem for one `sole run` into a temporary cpio
 * file: the app binary, its interpreter and libraries, an interpreter's
 * runtime bundle, the root skeleton, every --copy (later ones win) and
 * the boot configuration. The file is deleted when sole exits. */
#ifndef SOLE_INITRD_H
#define SOLE_INITRD_H

#include "byte_buffer.h"
#include "paths.h"
#include "run_options.h"

#define GUEST_INIT_PATH "/sbin/sole-init" /* --init's pid 1 in the VM */

/* Writes the initrd (in $TMPDIR, default /tmp) and sets *path. Returns 0,
 * or the exit status after printing what went wrong (126 when a library
 * the binary needs is missing). */
int initrd_create(const struct run_options *options, const struct app_binary *binary,
                  const struct byte_buffer *boot_config, char **path);

#endif
