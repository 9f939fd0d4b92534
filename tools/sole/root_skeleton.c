/* The files and folders every guest root starts with: /etc basics (passwd,
 * group, hosts, resolv.conf naming the guest's DNS server...), the host's time
 * zone as /etc/localtime when it has one, /tmp, /root, /dev, /proc. */
#include "root_skeleton.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot_config.h"
#include "xalloc.h"

static const struct {
	const char *path;
	uint32_t mode;
} skeleton_directories[] = {
	{"/tmp", 01777}, {"/root", 0700}, {"/dev", 0755}, {"/proc", 0755}, {"/etc", 0755},
};

static const struct {
	const char *path;
	const char *contents;
} skeleton_files[] = {
	{"/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
			"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"},
	{"/etc/group", "root:x:0:\n"
		       "nogroup:x:65534:\n"},
	{"/etc/hosts", "127.0.0.1\tlocalhost\n"
		       "::1\tlocalhost ip6-localhost\n"},
	{"/etc/hostname", ""}, /* the host name comes from the caller */
	{"/etc/nsswitch.conf", "passwd: files\n"
			       "group: files\n"
			       "hosts: files dns\n"},
};

void root_skeleton_add(struct cpio_archive *archive, int64_t mtime, const char *dns_server,
                       const struct run_user *user, const char *hostname)
{
	char *hostname_line = xasprintf("%s\n", hostname);
	for (size_t i = 0; i < sizeof(skeleton_directories) / sizeof(*skeleton_directories); i++)
		cpio_add_directory(archive, skeleton_directories[i].path, skeleton_directories[i].mode,
				   mtime);
	for (size_t i = 0; i < sizeof(skeleton_files) / sizeof(*skeleton_files); i++) {
		const char *extra = NULL;
		if (strcmp(skeleton_files[i].path, "/etc/passwd") == 0)
			extra = user->passwd_line;
		else if (strcmp(skeleton_files[i].path, "/etc/group") == 0)
			extra = user->group_line;
		else if (strcmp(skeleton_files[i].path, "/etc/hostname") == 0)
			extra = hostname_line;
		char *contents = xasprintf("%s%s", skeleton_files[i].contents, extra ? extra : "");
		cpio_add_file(archive, skeleton_files[i].path, 0644, mtime, contents, strlen(contents));
		free(contents);
	}
	char *resolv_conf = dns_server ? xasprintf("nameserver %s\n", dns_server)
				       : xstrdup("# sole run --net none: the VM has no network\n");
	cpio_add_file(archive, "/etc/resolv.conf", 0644, mtime, resolv_conf, strlen(resolv_conf));
	free(resolv_conf);
	free(hostname_line);
	/* The app's clock should read as the user's does: the zone file itself,
	 * since the zoneinfo folder it links into is not in the guest. */
	struct stat zone;
	if (stat("/etc/localtime", &zone) == 0 && S_ISREG(zone.st_mode))
		cpio_add_host_file(archive, "/etc/localtime", 0644, zone.st_mtime, "/etc/localtime");
}
