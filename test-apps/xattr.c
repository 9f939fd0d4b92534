/* Extended attributes: round trips in the user., trusted. and security.
 * namespaces on files, folders and symlinks (by path, without following,
 * and by descriptor), size queries, and Linux's errors. Natively the test
 * works in a tmpfs folder (/dev/shm, where Linux keeps xattrs as sole
 * does; /tmp may be a disk file system with other limits), found by
 * probing; names are printed sorted, since their order is the file
 * system's own. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common.h"

static char dir[64];

/* A path in our folder, valid for the next three calls (strdup to keep it). */
static const char *at(const char *name)
{
	static char paths[4][128];
	static unsigned next;
	char *path = paths[next++ % 4];
	snprintf(path, sizeof paths[0], "%s/%s", dir, name);
	return path;
}

/* A folder of our own in the first candidate whose file system keeps
 * user.* attributes and values of 64 KiB. */
static int pick_dir(void)
{
	static const char *const candidates[] = {"/dev/shm", "/tmp"};
	static char big[65536];
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
		snprintf(dir, sizeof dir, "%s/xattr-test-XXXXXX", candidates[i]);
		if (!mkdtemp(dir))
			continue;
		if (setxattr(dir, "user.probe", big, sizeof big, 0) == 0 && removexattr(dir, "user.probe") == 0)
			return 1;
		rmdir(dir);
	}
	return 0;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* listxattr's names, sorted, on one line. */
static void print_list(const char *label, ssize_t len, char *list)
{
	if (len < 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	char *names[64];
	size_t count = 0;
	for (char *p = list; p < list + len && count < 64; p += strlen(p) + 1)
		names[count++] = p;
	qsort(names, count, sizeof names[0], compare_names);
	printf("%s: %zd bytes:", label, len);
	for (size_t i = 0; i < count; i++)
		printf(" %s", names[i]);
	printf("\n");
}

static void show_value(const char *label, const char *path, const char *name)
{
	char value[256];
	ssize_t n = getxattr(path, name, value, sizeof value);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %zd \"%.*s\"\n", label, n, (int)n, value);
}

static void round_trips(void)
{
	const char *file = strdup(at("file"));
	int fd = open(file, O_CREAT | O_RDWR, 0644);
	require(fd >= 0, "create file");
	char list[4096];
	print_list("list of a new file", listxattr(file, list, sizeof list), list);
	report("set user.colour", setxattr(file, "user.colour", "blue", 4, 0));
	show_value("get user.colour", file, "user.colour");
	report("replace user.colour", setxattr(file, "user.colour", "green!", 6, XATTR_REPLACE));
	show_value("get user.colour again", file, "user.colour");
	report("set trusted.note", setxattr(file, "trusted.note", "t", 1, XATTR_CREATE));
	report("set security.label", lsetxattr(file, "security.label", "s", 1, 0));
	report("fset user.by-fd", fsetxattr(fd, "user.by-fd", "fd", 2, 0));
	report("set empty value", setxattr(file, "user.empty", "", 0, 0));
	show_value("get empty value", file, "user.empty");
	char buf[16];
	report_value("fget user.by-fd", fgetxattr(fd, "user.by-fd", buf, sizeof buf));
	report_value("size query", getxattr(file, "user.colour", NULL, 0));
	report_value("small buffer", getxattr(file, "user.colour", buf, 3));
	report_value("list size query", listxattr(file, NULL, 0));
	report_value("list small buffer", listxattr(file, list, 10));
	print_list("list", listxattr(file, list, sizeof list), list);
	print_list("flist", flistxattr(fd, list, sizeof list), list);

	/* A hard link is the same inode; a rename keeps the attributes. */
	report("link", link(file, at("link")));
	show_value("get through the link", at("link"), "user.colour");
	report("rename", rename(at("link"), at("moved")));
	show_value("get after rename", at("moved"), "user.colour");
	report("unlink moved", unlink(at("moved")));

	report("remove user.colour", removexattr(file, "user.colour"));
	report("remove it again", removexattr(file, "user.colour"));
	show_value("get removed", file, "user.colour");
	report("lremove trusted.note", lremovexattr(file, "trusted.note"));
	report("fremove user.by-fd", fremovexattr(fd, "user.by-fd"));
	print_list("list after removals", listxattr(file, list, sizeof list), list);
	close(fd);
}

static void errors(void)
{
	const char *file = strdup(at("file"));
	static char big[65537];
	char name[300];
	memset(name, 'n', sizeof name);
	memcpy(name, "user.", 5);
	name[255] = 0;
	report("name of 255 bytes", setxattr(file, name, "1", 1, 0));
	show_value("get it", file, name);
	report("remove it", removexattr(file, name));
	name[255] = 'n';
	name[256] = 0;
	report("name of 256 bytes", setxattr(file, name, "1", 1, 0));
	report_value("get a name of 256 bytes", getxattr(file, name, NULL, 0));
	report("empty name", setxattr(file, "", "1", 1, 0));
	report("value of 64 KiB", setxattr(file, "user.big", big, 65536, 0));
	report_value("get 64 KiB", getxattr(file, "user.big", NULL, 0));
	report("value of 64 KiB + 1", setxattr(file, "user.bigger", big, sizeof big, 0));
	report("XATTR_CREATE on an existing name", setxattr(file, "user.big", "1", 1, XATTR_CREATE));
	report("XATTR_REPLACE on a missing name", setxattr(file, "user.none", "1", 1, XATTR_REPLACE));
	report("both flags on an existing name", setxattr(file, "user.big", "1", 1, XATTR_CREATE | XATTR_REPLACE));
	report("unknown flag", setxattr(file, "user.x", "1", 1, 4));
	report("system.x", setxattr(file, "system.x", "1", 1, 0));
	report_value("get system.x", getxattr(file, "system.x", NULL, 0));
	report("remove system.x", removexattr(file, "system.x"));
	report("no namespace", setxattr(file, "plain", "1", 1, 0));
	report("bare user.", setxattr(file, "user.", "1", 1, 0));
	report("bare trusted.", setxattr(file, "trusted.", "1", 1, 0));
	report_value("get bare security.", getxattr(file, "security.", NULL, 0));
	report_value("get missing", getxattr(file, "user.missing", NULL, 0));
	report("missing file", setxattr(at("nothing"), "user.x", "1", 1, 0));
	report_value("get on a missing file", getxattr(at("nothing"), "user.x", NULL, 0));
	report_value("list a missing file", listxattr(at("nothing"), NULL, 0));
	report("fset on a bad descriptor", fsetxattr(-1, "user.x", "1", 1, 0));
	report_value("flist on a bad descriptor", flistxattr(999, NULL, 0));
	report("remove user.big", removexattr(file, "user.big"));
}

/* user.* is for regular files and folders only: elsewhere EPERM to write
 * and ENODATA to read; trusted.* and security.* go anywhere. */
static void kinds(void)
{
	char list[1024];
	const char *sub = strdup(at("sub"));
	report("mkdir", mkdir(sub, 0755));
	report("set on a folder", setxattr(sub, "user.dir", "d", 1, 0));
	show_value("get on a folder", sub, "user.dir");
	print_list("list of the folder", listxattr(sub, list, sizeof list), list);

	const char *link = strdup(at("symlink"));
	report("symlink", symlink("file", link));
	show_value("get through the symlink", link, "user.empty");
	report("lset user. on the symlink", lsetxattr(link, "user.x", "1", 1, 0));
	report_value("lget user. on the symlink", lgetxattr(link, "user.x", NULL, 0));
	report("lremove user. on the symlink", lremovexattr(link, "user.x"));
	report("lset trusted. on the symlink", lsetxattr(link, "trusted.x", "1", 1, 0));
	report_value("lget trusted. on the symlink", lgetxattr(link, "trusted.x", NULL, 0));
	report_value("get trusted. through it", getxattr(link, "trusted.x", NULL, 0));
	print_list("llist of the symlink", llistxattr(link, list, sizeof list), list);
	print_list("list through the symlink", listxattr(link, list, sizeof list), list);
	report("lset bare user. on the symlink", lsetxattr(link, "user.", "1", 1, 0));

	report("set user. on /dev/null", setxattr("/dev/null", "user.x", "1", 1, 0));
	report_value("get user. on /dev/null", getxattr("/dev/null", "user.x", NULL, 0));

	unlink(link);
	rmdir(sub);
}

int main(void)
{
	require(pick_dir(), "a folder whose file system keeps xattrs");
	round_trips();
	errors();
	kinds();
	report("unlink file", unlink(at("file")));
	report("rmdir", rmdir(dir));
	return 0;
}
