/* The files and folders every guest root starts with: /etc basics (passwd,
 * group, hosts, resolv.conf for QEMU's user network...), /tmp, /root, /dev,
 * /proc. */
#ifndef SOLE_ROOT_SKELETON_H
#define SOLE_ROOT_SKELETON_H

#include <stdint.h>

#include "cpio_writer.h"

void root_skeleton_add(struct cpio_archive *archive, int64_t mtime);

#endif
