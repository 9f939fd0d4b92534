/* --copy: puts a host file or folder into the initrd. Folders are copied
 * recursively; symlinks inside stay symlinks; special files are skipped with
 * a warning. SRC itself is followed when it is a symlink, as cp -H does. */
#ifndef SOLE_HOST_COPY_H
#define SOLE_HOST_COPY_H

#include "cpio_writer.h"
#include "run_options.h"

/* Returns 0, or prints what is wrong and returns the exit status. */
int host_copy_add(struct cpio_archive *archive, const struct copy_request *copy, const struct run_options *options);

#endif
