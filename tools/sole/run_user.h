/* sole run --user: docker's USER[:GROUP] turned into the numbers the
 * app runs as, and the passwd and group lines the guest needs to name them. */
#ifndef SOLE_RUN_USER_H
#define SOLE_RUN_USER_H

#include <stdbool.h>
#include <sys/types.h>

#define RUN_USER_MAX_GROUPS 32

struct run_user {
	bool set;
	uid_t uid;
	gid_t gid;
	gid_t groups[RUN_USER_MAX_GROUPS]; /* supplementary groups */
	int group_count;
	char *home;        /* the passwd entry's home, or "/" when there is none */
	char *passwd_line; /* to add to the guest's /etc/passwd, or NULL */
	char *group_line;  /* to add to the guest's /etc/group, or NULL */
};

/* Resolves spec ("postgres", "1000", "1000:1000", "www-data:adm") as docker
 * does: a name must be known (the guest's own accounts, root and nobody, or
 * the host's; with image_root, the --rootfs folder, only the image's), a
 * number need not be. 0, or prints the problem and returns the exit status. */
int run_user_resolve(const char *spec, const char *image_root, struct run_user *out);
void run_user_free(struct run_user *user);

/* "UID:GID:G1,G2,...", the boot configuration's user entry. */
char *run_user_encode(const struct run_user *user);

#endif
