/* File offsets the app passes by pointer (sendfile, copy_file_range,
 * splice): used instead of the file's own position when given. */
#ifndef SOLE_FILE_OFFSET_H
#define SOLE_FILE_OFFSET_H

#include <stdint.h>

#include "kernel/fs/file.h"

/* *pos becomes *user_off when user_off is not NULL (-EFAULT, -EINVAL for
 * a negative one), else the file's position: 0 or -errno. */
int position_from_user(const long *user_off, const struct file *f, uint64_t *pos);
/* Stores pos back where it came from: *user_off or the file's position. */
int position_to_user(long *user_off, struct file *f, uint64_t pos);

#endif
