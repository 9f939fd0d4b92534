/* The files and folders every guest root starts with: /etc basics (passwd,
 * group, hosts, resolv.conf naming the guest's DNS server...), /tmp, /root,
 * /dev, /proc. */
#ifndef SOLE_ROOT_SKELETON_H
#define SOLE_ROOT_SKELETON_H

#include <stdint.h>

#include "cpio_writer.h"

#include "run_user.h"

/* dns_server: the address /etc/resolv.conf names, or NULL when the VM has
 * no network (resolv.conf then names none). hostname: /etc/hostname's. user: --user's passwd and group
 * lines join the skeleton's. A --copy added later replaces any of these
 * files. */
void root_skeleton_add(struct cpio_archive *archive, int64_t mtime, const char *dns_server,
                       const struct run_user *user, const char *hostname);

#endif
