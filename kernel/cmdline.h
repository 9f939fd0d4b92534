/* The kernel command line QEMU passes through PVH (`-append`, to which the
 * microvm machine adds its virtio_mmio.device= entries). sole sets the
 * network keys (ip=, gw=, dns=); everything else in the boot configuration
 * travels in the initrd. */
#ifndef SOLE_CMDLINE_H
#define SOLE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Keeps a copy of the line (NULL: an empty one). */
void cmdline_init(const char *line);
const char *cmdline_text(void);
/* The value of the n-th (from 0) word "key=value": true and a copy in
 * value (truncated to size), false when there is no such word. */
bool cmdline_get(const char *key, unsigned n, char *value, size_t size);

#endif
