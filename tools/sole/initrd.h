/* Packs the guest's root filesystem for one `sole run` into a temporary cpio
 * file: the app binary, the root skeleton, every --copy (later ones win) and
 * the boot configuration. The file is deleted when sole exits. */
#ifndef SOLE_INITRD_H
#define SOLE_INITRD_H

#include "byte_buffer.h"
#include "paths.h"
#include "run_options.h"

/* Returns the path of the initrd (in $TMPDIR, default /tmp), or NULL after
 * printing what went wrong. */
char *initrd_create(const struct run_options *options, const struct app_binary *binary,
		    const struct byte_buffer *boot_config);

#endif
