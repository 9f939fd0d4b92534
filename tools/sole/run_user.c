/* sole run --user (see run_user.h). Names are looked up in the guest's own
 * accounts first (root_skeleton.c has root and nobody), then on the host,
 * whose entry is then added to the guest's /etc/passwd and /etc/group so
 * that the app can name itself (id, whoami, getpwuid). With --rootfs the
 * image's /etc/passwd and /etc/group are the only accounts, as runc reads
 * them: opened inside the image folder (openat2 RESOLVE_IN_ROOT), so that
 * an image's symlink cannot point the lookup at the host's files. */
#define _GNU_SOURCE /* O_PATH, fgetpwent */
#include "run_user.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "xalloc.h"

static const struct {
	const char *name;
	uid_t uid;
	gid_t gid;
	const char *home;
} guest_users[] = {{"root", 0, 0, "/root"}, {"nobody", 65534, 65534, "/nonexistent"}};

static const struct {
	const char *name;
	gid_t gid;
} guest_groups[] = {{"root", 0}, {"nogroup", 65534}};

static bool is_number(const char *s, unsigned long *value)
{
	if (!*s)
		return false;
	char *end;
	*value = strtoul(s, &end, 10);
	return *end == '\0' && *value <= 0x7fffffff;
}

static int resolve_user(const char *name, struct run_user *out, const char *spec)
{
	unsigned long number;
	if (is_number(name, &number)) {
		out->uid = (uid_t)number;
		for (size_t i = 0; i < sizeof guest_users / sizeof *guest_users; i++)
			if (guest_users[i].uid == out->uid) {
				out->gid = guest_users[i].gid;
				out->home = xstrdup(guest_users[i].home);
				return 0;
			}
		out->gid = 0; /* docker's answer for a uid no passwd entry names */
		out->home = xstrdup("/");
		return 0;
	}
	for (size_t i = 0; i < sizeof guest_users / sizeof *guest_users; i++)
		if (strcmp(guest_users[i].name, name) == 0) {
			out->uid = guest_users[i].uid;
			out->gid = guest_users[i].gid;
			out->home = xstrdup(guest_users[i].home);
			return 0;
		}
	struct passwd *host = getpwnam(name);
	if (!host) {
		sole_error("--user %s: unable to find user %s: no matching entries in passwd file (here or on the "
		           "host); give a number, like --user 1000:1000",
		           spec, name);
		return EXIT_SOLE_ERROR;
	}
	out->uid = host->pw_uid;
	out->gid = host->pw_gid;
	out->home = xstrdup(host->pw_dir);
	out->passwd_line = xasprintf("%s:x:%u:%u:%s:%s:%s\n", host->pw_name, (unsigned)host->pw_uid,
	                             (unsigned)host->pw_gid, host->pw_gecos, host->pw_dir, host->pw_shell);
	int count = RUN_USER_MAX_GROUPS;
	if (getgrouplist(name, host->pw_gid, out->groups, &count) < 0)
		count = RUN_USER_MAX_GROUPS; /* more than sole passes on: the first ones */
	out->group_count = count;
	return 0;
}

static int resolve_group(const char *name, struct run_user *out, const char *spec)
{
	unsigned long number;
	if (is_number(name, &number)) {
		out->gid = (gid_t)number;
		return 0;
	}
	for (size_t i = 0; i < sizeof guest_groups / sizeof *guest_groups; i++)
		if (strcmp(guest_groups[i].name, name) == 0) {
			out->gid = guest_groups[i].gid;
			return 0;
		}
	struct group *host = getgrnam(name);
	if (!host) {
		sole_error("--user %s: unable to find group %s: no matching entries in group file (here or on the "
		           "host); give a number, like --user 1000:1000",
		           spec, name);
		return EXIT_SOLE_ERROR;
	}
	out->gid = host->gr_gid;
	return 0;
}

/* The guest's /etc/group line for the user's primary group, when only the
 * host knows its name. */
static void add_group_line(struct run_user *out)
{
	for (size_t i = 0; i < sizeof guest_groups / sizeof *guest_groups; i++)
		if (guest_groups[i].gid == out->gid)
			return;
	struct group *host = getgrgid(out->gid);
	if (host)
		out->group_line = xasprintf("%s:x:%u:\n", host->gr_name, (unsigned)host->gr_gid);
}

/* The image's file at path (below root), never a file outside it. */
static FILE *open_in_image(const char *root, const char *path)
{
	int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return NULL;
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof how);
	close(root_fd);
	FILE *file = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (fd >= 0 && !file)
		close(fd);
	return file;
}

/* The image's account named name (or, when name is NULL, with uid uid). */
static bool image_account(const char *root, const char *name, uid_t uid, struct run_user *out, char **account)
{
	FILE *file = open_in_image(root, "/etc/passwd");
	struct passwd *entry;
	bool found = false;
	while (file && !found && (entry = fgetpwent(file)))
		if (name ? strcmp(entry->pw_name, name) == 0 : entry->pw_uid == uid) {
			out->uid = entry->pw_uid;
			out->gid = entry->pw_gid;
			out->home = xstrdup(entry->pw_dir);
			*account = xstrdup(entry->pw_name);
			found = true;
		}
	if (file)
		fclose(file);
	return found;
}

/* The image's group named name, or NULL for the user's supplementary
 * groups (those that list account, after its primary group). */
static bool image_groups(const char *root, const char *name, const char *account, struct run_user *out)
{
	FILE *file = open_in_image(root, "/etc/group");
	struct group *entry;
	bool found = false;
	if (!name)
		out->groups[out->group_count++] = out->gid;
	while (file && !found && (entry = fgetgrent(file))) {
		if (name) {
			if ((found = strcmp(entry->gr_name, name) == 0))
				out->gid = entry->gr_gid;
			continue;
		}
		for (char **member = entry->gr_mem; account && *member; member++)
			if (strcmp(*member, account) == 0 && entry->gr_gid != out->gid && out->group_count < RUN_USER_MAX_GROUPS)
				out->groups[out->group_count++] = entry->gr_gid;
	}
	if (file)
		fclose(file);
	return found;
}

/* --user against the image's own accounts (--rootfs). */
static int resolve_in_image(const char *root, const char *user, const char *group, struct run_user *out,
                            const char *spec)
{
	unsigned long number;
	char *account = NULL;
	if (is_number(user, &number)) {
		if (!image_account(root, NULL, (uid_t)number, out, &account)) {
			out->uid = (uid_t)number;
			out->gid = 0; /* docker's answer for a uid no passwd entry names */
			out->home = xstrdup("/");
		}
	} else if (!image_account(root, user, 0, out, &account)) {
		sole_error("--user %s: unable to find user %s: no matching entries in the image's passwd file "
		           "(%s/etc/passwd); give a number, like --user 1000:1000",
		           spec, user, root);
		return EXIT_SOLE_ERROR;
	}
	int status = 0;
	if (!group) {
		image_groups(root, NULL, account, out);
	} else if (is_number(group, &number)) {
		out->gid = (gid_t)number;
	} else if (!image_groups(root, group, NULL, out)) {
		sole_error("--user %s: unable to find group %s: no matching entries in the image's group file "
		           "(%s/etc/group); give a number, like --user 1000:1000",
		           spec, group, root);
		status = EXIT_SOLE_ERROR;
	}
	free(account);
	return status;
}

int run_user_resolve(const char *spec, const char *image_root, struct run_user *out)
{
	*out = (struct run_user){.set = true};
	char *user = xstrdup(spec);
	char *group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	int status = EXIT_SOLE_ERROR;
	if (!*user || (group && !*group))
		sole_error("--user '%s': give USER or USER:GROUP, each a name or a number, like --user postgres", spec);
	else if (image_root)
		status = resolve_in_image(image_root, user, group, out, spec);
	else
		status = resolve_user(user, out, spec);
	if (status == 0 && group && !image_root) {
		status = resolve_group(group, out, spec);
		out->group_count = 0; /* an explicit group replaces the user's groups, as in docker */
	}
	if (status == 0 && out->passwd_line)
		add_group_line(out);
	free(user);
	if (status != 0)
		run_user_free(out);
	return status;
}

void run_user_free(struct run_user *user)
{
	free(user->home);
	free(user->passwd_line);
	free(user->group_line);
	*user = (struct run_user){0};
}

char *run_user_encode(const struct run_user *user)
{
	char *text = xasprintf("%u:%u:", (unsigned)user->uid, (unsigned)user->gid);
	for (int i = 0; i < user->group_count; i++) {
		char *longer = xasprintf("%s%s%u", text, i ? "," : "", (unsigned)user->groups[i]);
		free(text);
		text = longer;
	}
	return text;
}
