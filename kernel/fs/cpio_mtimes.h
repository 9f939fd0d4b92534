/* The initrd's side table of modification times (".sole-mtimes", written by
 * tools/sole/cpio_writer.c; docs/boot-config.md): cpio newc headers hold
 * whole seconds only, so the times they cannot hold come in this table,
 * NUL-terminated records "SECONDS NANOSECONDS NAME" in the order of the
 * archive's entries. The reader walks it beside the archive, one entry at a
 * time. Pure code: unit-tested on the host. */
#ifndef SOLE_CPIO_MTIMES_H
#define SOLE_CPIO_MTIMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_MTIMES_NAME ".sole-mtimes"

struct cpio_mtimes {
	const char *at, *end; /* the records not yet taken */
};

/* When the next record names the entry called name (len bytes, as its
 * header spells it): its time in *sec and *nsec, the record taken, true.
 * A malformed record ends the table. */
bool cpio_mtimes_take(struct cpio_mtimes *table, const char *name, size_t len, int64_t *sec, long *nsec);

#endif
