/* Who QEMU runs as. When sole runs as root, QEMU runs as an unprivileged
 * user where one can do its work, so that a bug in device emulation does not
 * hand the guest root on the host. sole switches the ids itself, in the child
 * before exec: QEMU's own -runas calls setuid after its sandbox
 * (elevateprivileges=deny) has taken that call away. */
#ifndef SOLE_QEMU_USER_H
#define SOLE_QEMU_USER_H

#include <stdbool.h>
#include <sys/types.h>

#include "accel.h"
#include "run_options.h"

#define QEMU_USER_MAX_GROUPS 32

struct qemu_user {
	bool drop; /* false: QEMU keeps sole's ids */
	uid_t uid;
	gid_t gid;
	gid_t groups[QEMU_USER_MAX_GROUPS]; /* supplementary groups */
	int group_count;
	char *why_root; /* sole is root and QEMU stays root: why, for --verbose; else NULL */
};

/* The user for this run. sole as root with no volumes: nobody. With -v or
 * --rootfs: the owner of those folders, since QEMU's 9P server reads and
 * writes them with its own ids. With KVM, the group of /dev/kvm joins its
 * groups. QEMU stays root when a folder belongs to root or the folders to
 * different users, when a published or gdb port is one only root may
 * listen on, when /dev/kvm opens only for root, or with --no-sandbox. */
void qemu_user_choose(const struct run_options *options, enum accel_kind accel, struct qemu_user *user);
void qemu_user_free(struct qemu_user *user);

/* In QEMU's process before exec: takes on the user's ids (nothing when
 * !drop). 0, or -1 with errno set. */
int qemu_user_become(const struct qemu_user *user);

#endif
