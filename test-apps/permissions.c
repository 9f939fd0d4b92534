/* Linux's file permission checks for processes that gave up root: root
 * makes files and folders with chosen modes and owners under a fresh
 * /tmp/permissions-test-PID, then children that became uid 1000 or 1001
 * (or only lost their real root) try to open, run, search, create, remove,
 * rename, chmod, chown, touch and truncate them, and each answer is
 * printed. Set-group-id folders, the set-id bits that writes and chown
 * clear, and what stays open to everyone (/dev/null, /proc/self, pipes)
 * are checked too. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common.h"

static char base[64];

/* A path under the test's folder; four can be in use at once. */
static const char *at(const char *name)
{
	static char paths[4][160];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", base, name);
	return p;
}

static void make_file(const char *name, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = open(at(name), O_CREAT | O_WRONLY | O_TRUNC, 0600);
	require(fd >= 0 && write(fd, "data\n", 5) == 5 && close(fd) == 0, name);
	require(chown(at(name), uid, gid) == 0 && chmod(at(name), mode) == 0, name);
}

static void make_dir(const char *name, mode_t mode, uid_t uid, gid_t gid)
{
	require(mkdir(at(name), 0700) == 0, name);
	require(chown(at(name), uid, gid) == 0 && chmod(at(name), mode) == 0, name);
}

/* The mode bits and owner, as "0644 1000:1000". */
static void show(const char *label, const char *name)
{
	struct stat st;
	if (stat(at(name), &st) < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %04o %u:%u\n", label, st.st_mode & 07777, st.st_uid, st.st_gid);
}

static long open_close(const char *name, int flags)
{
	int fd = open(at(name), flags, 0644);
	return fd < 0 ? -1 : close(fd);
}

/* Runs body in a child with these ids and waits for it. */
static void as_user(const char *who, uid_t uid, gid_t gid, int ngroups, const gid_t *groups, void (*body)(void))
{
	printf("-- %s\n", who);
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setgroups((size_t)ngroups, groups) == 0, "setgroups");
		require(setresgid(gid, gid, gid) == 0, "setresgid");
		require(setresuid(uid, uid, uid) == 0, "setresuid");
		body();
		fflush(stdout);
		_exit(0);
	}
	require(wait_code(pid) == 0, "child");
}

/* Whether listxattr names root's trusted.tag (the list may hold other
 * names natively, a security label for one). */
static bool lists_trusted_tag(const char *name)
{
	char list[1024];
	ssize_t n = listxattr(at(name), list, sizeof list);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(list + i) + 1)
		if (!strcmp(list + i, "trusted.tag"))
			return true;
	return false;
}

static void reading_and_writing(void)
{
	report("open secret 0600 for reading", open_close("secret", O_RDONLY));
	report("open public 0644 for reading", open_close("public", O_RDONLY));
	report("open public 0644 for writing", open_close("public", O_WRONLY));
	report("open public 0644 read-only with O_TRUNC", open_close("public", O_RDONLY | O_TRUNC));
	report("open shared 0666 for reading and writing", open_close("shared", O_RDWR));
	report("open grouped 0060 (own group) for writing", open_close("grouped", O_WRONLY));
	report("open others 0604 (own group) for reading", open_close("others", O_RDONLY));
	report("open public with O_NOATIME", open_close("public", O_RDONLY | O_NOATIME));
	report("O_CREAT of an existing public", open_close("public", O_CREAT | O_RDONLY));
	report("access secret R_OK", access(at("secret"), R_OK));
	report("access public W_OK", access(at("public"), W_OK));
	report("access shared R_OK|W_OK", access(at("shared"), R_OK | W_OK));
	report("truncate public", truncate(at("public"), 0));
	report("truncate shared", truncate(at("shared"), 2));
	report("utimes now on shared (writable)", utimes(at("shared"), NULL));
	report("utimes now on public (not writable)", utimes(at("public"), NULL));
	struct timeval tv[2] = {{1000, 0}, {2000, 0}};
	report("utimes given times on shared (not owner)", utimes(at("shared"), tv));
	int in = inotify_init1(IN_CLOEXEC);
	report("inotify watch on secret", inotify_add_watch(in, at("secret"), IN_MODIFY));
	report("inotify watch on public", inotify_add_watch(in, at("public"), IN_MODIFY));
	close(in);
	report("setxattr user.* on public", setxattr(at("public"), "user.tag", "x", 1, 0));
	report("setxattr trusted.* on shared", setxattr(at("shared"), "trusted.tag", "x", 1, 0));
	char value[8];
	report("getxattr trusted.* on shared", getxattr(at("shared"), "trusted.tag", value, sizeof value));
	printf("listxattr shows trusted.* on shared: %s\n", lists_trusted_tag("shared") ? "yes" : "no");
}

static void searching(void)
{
	struct stat st;
	report("stat hidden/inner (0644 folder)", stat(at("hidden/inner"), &st));
	report("open hidden/inner", open_close("hidden/inner", O_RDONLY));
	report("access hidden/inner F_OK", access(at("hidden/inner"), F_OK));
	report("chdir hidden", chdir(at("hidden")));
	report("mkdir hidden/new", mkdir(at("hidden/new"), 0755));
	report("stat unlisted/inner (0711 folder)", stat(at("unlisted/inner"), &st));
	report("open unlisted for listing", open_close("unlisted", O_RDONLY | O_DIRECTORY));
	report("open unlisted with O_PATH", open_close("unlisted", O_PATH));
	report("chdir unlisted", chdir(at("unlisted")));
	report("chroot unlisted", chroot("."));
	report("chroot hidden", chroot(at("hidden")));
}

static void running(void)
{
	char *argv[] = {"prog", "exit", NULL};
	report("exec prog 0644", execv(at("noexec"), argv));
	report("exec prog 0744 (others may not run it)", execv(at("ownerexec"), argv));
	report("access ownerexec X_OK", access(at("ownerexec"), X_OK));
	report("access prog X_OK", access(at("prog"), X_OK));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execv(at("prog"), argv);
		_exit(99);
	}
	printf("exec prog 0755: exit %d\n", wait_code(pid));
}

static void naming(void)
{
	report("create in root's 0755 folder", open_close("closed/new", O_CREAT | O_WRONLY));
	report("mkdir in root's 0755 folder", mkdir(at("closed/new"), 0755));
	report("mkfifo in root's 0755 folder", mkfifo(at("closed/new"), 0644));
	report("symlink in root's 0755 folder", symlink("x", at("closed/new")));
	report("link in root's 0755 folder", link(at("open/mine"), at("closed/new")));
	report("unlink in root's 0755 folder", unlink(at("closed/file")));
	report("rmdir in root's 0755 folder", rmdir(at("closed/sub")));
	report("rename out of root's 0755 folder", rename(at("closed/file"), at("open/moved")));
	report("mkdir over an existing name", mkdir(at("closed/file"), 0755));
	report("unlink root's file in a 0777 folder", unlink(at("open/roots")));
	report("rename root's 0555 folder within its parent", rename(at("open/rodir"), at("open/rodir2")));
	report("rename root's 0555 folder to another parent", rename(at("open/rodir2"), at("open2/rodir")));
	report("rename own folder to another parent", rename(at("open/mydir"), at("open2/mydir")));
	report("unlink root's file in a sticky folder", unlink(at("sticky/roots")));
	report("rename root's file in a sticky folder", rename(at("sticky/roots"), at("sticky/renamed")));
	report("rename over root's file in a sticky folder", rename(at("sticky/mine"), at("sticky/roots")));
	report("rmdir root's folder in a sticky folder", rmdir(at("sticky/rootdir")));
	report("create in the sticky folder", open_close("sticky/made", O_CREAT | O_EXCL | O_WRONLY));
	show("its owner", "sticky/made");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", at("closed/sock"));
	report("bind a socket in root's 0755 folder", bind(s, (struct sockaddr *)&addr, sizeof addr));
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", at("open/rootsock"));
	report("connect to root's 0700 socket", connect(s, (struct sockaddr *)&addr, sizeof addr));
	close(s);
}

static void other_user_in_sticky(void)
{
	report("unlink another user's file in a sticky folder", unlink(at("sticky/made")));
	report("unlink own file in a folder of another user's", unlink(at("usersticky/own")));
}

static void owning(void)
{
	report("chmod root's file", chmod(at("shared"), 0600));
	report("chown root's file to self", chown(at("shared"), 1000, 1000));
	report("chown -1 -1 on root's file", chown(at("shared"), -1, -1));
	report("chown -1 -1 on root's 04755 file", chown(at("setuidroot"), -1, -1));
	show("its mode", "setuidroot");
	report("chmod own file 02755", chmod(at("open/mine"), 02755));
	show("own file after chmod", "open/mine");
	report("chown own file to uid 0", chown(at("open/mine"), 0, -1));
	report("chown own file to a foreign group", chown(at("open/mine"), -1, 3000));
	report("chown own file to a supplementary group", chown(at("open/mine"), -1, 1001));
	show("own file after chgrp", "open/mine");
	report("chmod 02755 of own file in a foreign group", chmod(at("open/foreign"), 02755));
	show("its mode", "open/foreign");
	int fd = open(at("open/setid"), O_WRONLY);
	report("write to a 06775 file", write(fd, "x", 1));
	close(fd);
	show("after the write", "open/setid");
	report("utimes given times on own file", utimes(at("open/mine"), (struct timeval[2]){{1, 0}, {2, 0}}));
}

static void inheriting(void)
{
	report("create in a setgid folder", open_close("setgid/file", O_CREAT | O_WRONLY));
	show("its owner", "setgid/file");
	report("mkdir in a setgid folder", mkdir(at("setgid/dir"), 0755));
	show("its owner", "setgid/dir");
	report("create 02755 in a setgid folder of a foreign group", open_close("setgid/sgid", O_CREAT | O_WRONLY));
	report("chmod it 02755", chmod(at("setgid/sgid"), 02755));
	show("its mode", "setgid/sgid");
	int fd = open(at("setgid/sgid2"), O_CREAT | O_WRONLY, 02755);
	report("open O_CREAT 02755 in a setgid folder of a foreign group", fd);
	close(fd);
	show("its mode", "setgid/sgid2");
}

static void inheriting_as_member(void)
{
	int fd = open(at("setgid/member"), O_CREAT | O_WRONLY, 02755);
	report("open O_CREAT 02755 in a setgid folder of a supplementary group", fd);
	close(fd);
	show("its mode", "setgid/member");
}

static void everyday(void)
{
	int fd = open("/dev/null", O_WRONLY);
	report("open /dev/null", fd);
	report("write to it", write(fd, "x", 1));
	close(fd);
	DIR *d = opendir("/proc/self/fd");
	report("opendir /proc/self/fd", d ? 0 : -1);
	int entries = 0;
	while (d && readdir(d))
		entries++;
	printf("it lists entries: %s\n", entries > 2 ? "yes" : "no");
	if (d)
		closedir(d);
	fd = open("/proc/self/status", O_RDONLY);
	report("open /proc/self/status", fd);
	close(fd);
	int p[2];
	report("pipe", pipe(p));
	report("write to it", write(p[1], "x", 1));
	char c;
	report("read from it", read(p[0], &c, 1));
	int pair[2];
	report("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
	char own[96];
	snprintf(own, sizeof own, "%s-user", base);
	report("mkdir in /tmp", mkdir(own, 0755));
	report("rmdir it", rmdir(own));
}

/* Real uid 1000, effective root: access asks for the real user, AT_EACCESS
 * for the effective one. */
static void real_versus_effective(void)
{
	printf("-- real uid 1000, effective uid 0\n");
	pid_t pid = fork_flushed();
	if (pid == 0) {
		require(setresuid(1000, 0, 0) == 0, "setresuid");
		report("access secret R_OK", access(at("secret"), R_OK));
		report("faccessat2 secret R_OK AT_EACCESS",
		       syscall(SYS_faccessat2, AT_FDCWD, at("secret"), R_OK, AT_EACCESS));
		report("open secret", open_close("secret", O_RDONLY));
		fflush(stdout);
		_exit(0);
	}
	require(wait_code(pid) == 0, "child");
}

static void as_root(void)
{
	printf("-- root\n");
	report("open a 0000 file for writing", open_close("nobody", O_WRONLY));
	report("access nobody R_OK|W_OK", access(at("nobody"), R_OK | W_OK));
	report("access noexec X_OK", access(at("noexec"), X_OK));
	report("access hidden X_OK", access(at("hidden"), X_OK));
	char *argv[] = {"prog", "exit", NULL};
	report("exec a 0644 file", execv(at("noexec"), argv));
	printf("listxattr shows trusted.* on shared: %s\n", lists_trusted_tag("shared") ? "yes" : "no");
	make_file("suid", 04755, 1000, 1000);
	report("chown of a 04755 file", chown(at("suid"), 0, 0));
	show("after chown", "suid");
	require(chmod(at("suid"), 06755) == 0, "chmod");
	report("chown -1 -1 of a 06755 file", chown(at("suid"), -1, -1));
	show("after chown", "suid");
	require(chmod(at("suid"), 06755) == 0, "chmod");
	int fd = open(at("suid"), O_WRONLY);
	report("root writes to a 06755 file", write(fd, "x", 1));
	close(fd);
	show("after the write", "suid");
	report("mkdir in a setgid folder", mkdir(at("setgid/rootdir"), 0700));
	show("its owner", "setgid/rootdir");
}

/* Copies this program into the test folder, so that children run it from
 * a folder they may search. */
static void copy_self(void)
{
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(at("prog"), O_CREAT | O_WRONLY | O_TRUNC, 0755);
	require(in >= 0 && out >= 0, "copy self");
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		require(write(out, buf, (size_t)n) == n, "copy self");
	close(in);
	close(out);
}

static void set_up(void)
{
	umask(0);
	snprintf(base, sizeof base, "/tmp/permissions-test-%d", getpid());
	require(mkdir(base, 0755) == 0, "mkdir base");
	copy_self();
	require(chmod(at("prog"), 0755) == 0, "chmod prog");
	make_file("secret", 0600, 0, 0);
	make_file("public", 0644, 0, 0);
	make_file("shared", 0666, 0, 0);
	require(setxattr(at("shared"), "trusted.tag", "x", 1, 0) == 0, "setxattr trusted.tag");
	make_file("grouped", 0060, 0, 1000);
	make_file("others", 0604, 0, 1000);
	make_file("nobody", 0, 0, 0);
	make_file("noexec", 0644, 0, 0);
	make_file("ownerexec", 0744, 0, 0);
	make_dir("hidden", 0644, 0, 0);
	make_file("hidden/inner", 0644, 0, 0);
	make_dir("unlisted", 0711, 0, 0);
	make_file("unlisted/inner", 0644, 0, 0);
	make_dir("closed", 0755, 0, 0);
	make_file("closed/file", 0666, 0, 0);
	make_dir("closed/sub", 0777, 0, 0);
	make_dir("open", 0777, 0, 0);
	make_dir("open2", 0777, 0, 0);
	make_file("open/roots", 0644, 0, 0);
	make_dir("open/rodir", 0555, 0, 0);
	make_dir("open/mydir", 0755, 1000, 1000);
	make_file("open/mine", 0644, 1000, 1000);
	make_file("open/foreign", 0644, 1000, 3000);
	make_file("open/setid", 06775, 1000, 1000);
	make_file("setuidroot", 04755, 0, 0);
	make_dir("sticky", 01777, 0, 0);
	make_file("sticky/roots", 0666, 0, 0);
	make_file("sticky/mine", 0666, 1000, 1000);
	make_dir("sticky/rootdir", 0777, 0, 0);
	make_dir("usersticky", 01777, 1000, 1000);
	make_file("usersticky/own", 0644, 1001, 1001);
	make_dir("setgid", 02777, 0, 500);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", at("open/rootsock"));
	require(s >= 0 && bind(s, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(s, 1) == 0, "bind");
	require(chmod(at("open/rootsock"), 0700) == 0, "chmod socket");
}

/* Removes the test folder, whatever the children left in it. */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char child[512];
		snprintf(child, sizeof child, "%s/%s", path, e->d_name);
		struct stat st;
		if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(child);
		else
			unlink(child);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 7;
	set_up();
	static const gid_t just_1001[] = {1001};
	as_user("uid 1000, gid 1000", 1000, 1000, 0, NULL, reading_and_writing);
	as_user("uid 1000, gid 1000", 1000, 1000, 0, NULL, searching);
	as_user("uid 1000, gid 1000", 1000, 1000, 0, NULL, running);
	as_user("uid 1000, gid 1000", 1000, 1000, 0, NULL, naming);
	as_user("uid 1001, gid 1001", 1001, 1001, 0, NULL, other_user_in_sticky);
	as_user("uid 1000, gid 1000, groups 1001", 1000, 1000, 1, just_1001, owning);
	as_user("uid 1000, gid 1000", 1000, 1000, 0, NULL, inheriting);
	static const gid_t just_500[] = {500};
	as_user("uid 1000, gid 1000, groups 500", 1000, 1000, 1, just_500, inheriting_as_member);
	as_user("uid 65534, gid 65534", 65534, 65534, 0, NULL, everyday);
	real_versus_effective();
	as_root();
	remove_tree(base);
	struct stat st;
	printf("test folder removed: %s\n", stat(base, &st) < 0 && errno == ENOENT ? "yes" : "no");
	return 0;
}
