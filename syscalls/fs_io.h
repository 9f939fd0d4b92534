/* The read, write and sync work of fs_io.c on a file already looked up,
 * for the calls that name their file otherwise (io_submit's iocbs). */
#ifndef SOLE_FS_IO_H
#define SOLE_FS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kernel/fs/file.h"

/* read(2) and write(2) of the app's buf at *pos: -EBADF when f's open
 * mode does not allow it, -EFAULT, or the bytes moved (at most RW_MAX). */
long file_read_at(struct file *f, void *buf, size_t len, uint64_t *pos);
long file_write_at(struct file *f, const void *buf, size_t len, uint64_t *pos);
/* readv(2) and writev(2) at *pos; iovcnt must be 0..1024. */
long file_vectored_at(struct file *f, const struct iovec *user_iov, int iovcnt, uint64_t *pos, bool write);
/* fsync(2), or fdatasync(2) with data_only. */
long file_sync(struct file *f, bool data_only);

#endif
