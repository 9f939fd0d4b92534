/* What QEMU exports for each -v (tools/sole/volume_files.c): a folder as
 * it is, a single file through a link in a private folder beside it. */
#ifndef SOLE_VOLUME_FILES_H
#define SOLE_VOLUME_FILES_H

#include <stddef.h>

#include "run_options.h"

/* Sets each volume's export_path, making the folders and links a file
 * volume needs (cleanup_run removes them). 0, or prints why and returns
 * the exit status. */
int volume_files_stage(struct volume_request *volumes, size_t count);

#endif
