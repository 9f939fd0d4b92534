/* A reader for cpio "newc" archives (the initrd format), over bytes in
 * memory. Pure code: unit-tested on the host. */
#ifndef SOLE_CPIO_H
#define SOLE_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	const char *name; /* not NUL-terminated beyond name_len */
	size_t name_len;
	uint32_t mode, uid, gid, mtime;
	const uint8_t *data;
	uint64_t size;
};

struct cpio_reader {
	const uint8_t *base;
	size_t size;
	size_t pos;
};

/* 1: *e holds the next entry; 0: the trailer was reached; -1: the archive
 * is malformed or truncated at reader->pos. */
int cpio_next(struct cpio_reader *reader, struct cpio_entry *e);

#endif
