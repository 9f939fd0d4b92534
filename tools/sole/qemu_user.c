/* Who QEMU runs as, see qemu_user.h. */
#define _GNU_SOURCE
#include "qemu_user.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define UNPRIVILEGED_USER "nobody"
#define KVM_DEVICE "/dev/kvm"
/* Linux's default, where /proc/sys says nothing. */
#define DEFAULT_UNPRIVILEGED_PORT_START 1024

/* The lowest port anyone may listen on, in sole's network namespace. */
static unsigned unprivileged_port_start(void)
{
	FILE *file = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	unsigned port = DEFAULT_UNPRIVILEGED_PORT_START;

	if (file) {
		if (fscanf(file, "%u", &port) != 1)
			port = DEFAULT_UNPRIVILEGED_PORT_START;
		fclose(file);
	}
	return port;
}

/* A port QEMU listens on that only root may: why QEMU stays root, or NULL. */
static char *privileged_port(const struct run_options *options)
{
	unsigned lowest = unprivileged_port_start();

	for (size_t i = 0; i < options->network.port_count; i++)
		if (options->network.ports[i].host_port < lowest)
			return xasprintf("-p %s listens on host port %u, which only root may",
			                 options->network.ports[i].as_typed, options->network.ports[i].host_port);
	if (options->gdb_port && (unsigned)options->gdb_port < lowest)
		return xasprintf("--gdb=%d listens on a port only root may", options->gdb_port);
	return NULL;
}

/* The uid owning every volume folder, in *owner; else why QEMU stays root. */
static char *volume_owner(const struct run_options *options, uid_t *owner, gid_t *group)
{
	for (size_t i = 0; i < options->volume_count; i++) {
		const struct volume_request *volume = &options->volumes[i];
		struct stat info;
		if (stat(volume->host_path, &info) != 0)
			return xasprintf("the folder %s cannot be examined", volume->host_path);
		if (info.st_uid == 0)
			return xasprintf("the folder %s belongs to root", volume->host_path);
		if (i > 0 && info.st_uid != *owner)
			return xasprintf("the folders %s and %s belong to different users",
			                 options->volumes[0].host_path, volume->host_path);
		*owner = info.st_uid;
		*group = info.st_gid;
	}
	return NULL;
}

/* With KVM, QEMU opens /dev/kvm with its own ids: through the mode for all,
 * or the device's group (Debian's kvm), which *device_group then names (else
 * -1). Why QEMU stays root when neither lets it, or NULL. */
static char *kvm_access(enum accel_kind accel, gid_t *device_group)
{
	const mode_t read_write_others = S_IROTH | S_IWOTH, read_write_group = S_IRGRP | S_IWGRP;
	struct stat info;

	*device_group = (gid_t)-1;
	if (accel != ACCEL_KIND_KVM || stat(KVM_DEVICE, &info) != 0 ||
	    (info.st_mode & read_write_others) == read_write_others)
		return NULL;
	if (info.st_gid != 0 && (info.st_mode & read_write_group) == read_write_group) {
		*device_group = info.st_gid;
		return NULL;
	}
	return xstrdup("KVM: " KVM_DEVICE " opens only for root");
}

static void add_group(struct qemu_user *user, gid_t group)
{
	for (int i = 0; i < user->group_count; i++)
		if (user->groups[i] == group)
			return;
	if (user->group_count < QEMU_USER_MAX_GROUPS)
		user->groups[user->group_count++] = group;
}

/* The account's primary group and supplementary groups, as a login would
 * give them; a uid without a passwd entry keeps group and has no others. */
static void take_account_groups(struct qemu_user *user, const struct passwd *account, gid_t group)
{
	user->gid = account ? account->pw_gid : group;
	user->groups[0] = user->gid;
	user->group_count = 1;
	if (account) {
		int count = QEMU_USER_MAX_GROUPS;
		if (getgrouplist(account->pw_name, user->gid, user->groups, &count) >= 0)
			user->group_count = count;
	}
}

void qemu_user_choose(const struct run_options *options, enum accel_kind accel, struct qemu_user *user)
{
	*user = (struct qemu_user){0};
	if (geteuid() != 0 || options->no_sandbox)
		return;
	uid_t owner = 0;
	gid_t group = 0, kvm_group;
	user->why_root = privileged_port(options);
	if (!user->why_root)
		user->why_root = kvm_access(accel, &kvm_group);
	if (!user->why_root)
		user->why_root = volume_owner(options, &owner, &group);
	if (user->why_root)
		return;
	struct passwd *account = options->volume_count ? getpwuid(owner) : getpwnam(UNPRIVILEGED_USER);
	if (!options->volume_count && !account) {
		user->why_root = xstrdup("this host has no user " UNPRIVILEGED_USER);
		return;
	}
	user->drop = true;
	user->uid = account ? account->pw_uid : owner;
	take_account_groups(user, account, group);
	if (kvm_group != (gid_t)-1)
		add_group(user, kvm_group);
}

void qemu_user_free(struct qemu_user *user)
{
	free(user->why_root);
	user->why_root = NULL;
}

int qemu_user_become(const struct qemu_user *user)
{
	if (!user->drop)
		return 0;
	if (setgroups((size_t)user->group_count, user->groups) != 0 ||
	    setresgid(user->gid, user->gid, user->gid) != 0 || setresuid(user->uid, user->uid, user->uid) != 0)
		return -1;
	return 0;
}
