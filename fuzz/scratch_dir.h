/* A private folder for fuzz targets whose parser reads a file by its path:
 * made once per process (under $TMPDIR, else /tmp) and removed at exit;
 * a crash leaves it, so fuzz/run points $TMPDIR at a folder of its own,
 * which it removes. */
#ifndef SOLE_FUZZ_SCRATCH_DIR_H
#define SOLE_FUZZ_SCRATCH_DIR_H

#include <stddef.h>
#include <stdint.h>

/* The folder's canonical path. */
const char *scratch_dir(void);
/* Writes size bytes of data to name in the folder (replacing it) and returns
 * its path, valid until the next call. */
const char *scratch_write(const char *name, const uint8_t *data, size_t size);

#endif
