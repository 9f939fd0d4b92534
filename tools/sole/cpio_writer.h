/* Builds a cpio "newc" archive (the initrd format Linux uses too): entries
 * are collected first, so a later entry for the same path replaces an earlier
 * one, then written out in one pass. Every parent directory gets an entry.
 * Regular files of CPIO_ALIGN_MIN_SIZE bytes or more get their data aligned
 * to CPIO_ALIGN bytes in the archive (so the kernel can map them in place):
 * a filler file named CPIO_PAD_NAME goes before them.
 *
 * newc holds whole seconds from 1970 to 2106 only. Entries given a time it
 * cannot hold (cpio_set_mtime) are listed in a side table, the file
 * CPIO_MTIMES_NAME, first in the archive: NUL-terminated records
 * "SECONDS NANOSECONDS NAME" in the order of the entries they name (see
 * docs/boot-config.md; the kernel reads it in kernel/fs/cpio_mtimes.c). */
#ifndef SOLE_CPIO_WRITER_H
#define SOLE_CPIO_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CPIO_ALIGN 4096
#define CPIO_ALIGN_MIN_SIZE (16 * 1024)
#define CPIO_PAD_NAME ".sole-pad"
#define CPIO_MTIMES_NAME ".sole-mtimes"
#define CPIO_TRAILER_NAME "TRAILER!!!"
#define CPIO_HEADER_SIZE 110

struct cpio_archive;

/* Paths are guest paths ("/etc/passwd" or "etc/passwd"); the root itself is
 * skipped. Modes are permission bits (07777); the type comes from the call. */
struct cpio_archive *cpio_archive_new(void);
void cpio_add_directory(struct cpio_archive *archive, const char *path, uint32_t mode, int64_t mtime);
void cpio_add_file(struct cpio_archive *archive, const char *path, uint32_t mode, int64_t mtime,
		   const void *data, size_t size);
/* The host file is read when the archive is written. */
void cpio_add_host_file(struct cpio_archive *archive, const char *path, uint32_t mode,
			int64_t mtime, const char *host_path);
void cpio_add_symlink(struct cpio_archive *archive, const char *path, int64_t mtime,
		      const char *target);
/* Gives the entry at path, added before, its modification time to the
 * nanosecond (the side table carries what newc cannot); no entry, no-op. */
void cpio_set_mtime(struct cpio_archive *archive, const char *path, struct timespec mtime);
/* Gives the entry at path, added before, an owner other than root, as a tar
 * of the host's files would keep it; no entry, no-op. */
void cpio_set_owner(struct cpio_archive *archive, const char *path, uint32_t uid, uint32_t gid);

/* Writes the archive to fd. On failure prints which file failed and returns -1. */
int cpio_archive_write(const struct cpio_archive *archive, int fd);
void cpio_archive_free(struct cpio_archive *archive);

#endif
