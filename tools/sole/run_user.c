/* sole run --user (see run_user.h). Names are looked up in the guest's own
 * accounts first (root_skeleton.c has root and nobody), then on the host,
 * whose entry is then added to the guest's /etc/passwd and /etc/group so
 * that the app can name itself (id, whoami, getpwuid). */
#include "run_user.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

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

int run_user_resolve(const char *spec, struct run_user *out)
{
	*out = (struct run_user){.set = true};
	char *user = xstrdup(spec);
	char *group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	int status = EXIT_SOLE_ERROR;
	if (!*user || (group && !*group))
		sole_error("--user '%s': give USER or USER:GROUP, each a name or a number, like --user postgres", spec);
	else
		status = resolve_user(user, out, spec);
	if (status == 0 && group) {
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
