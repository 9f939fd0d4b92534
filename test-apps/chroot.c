/* chroot as Linux has it: absolute paths, ".." and absolute symlinks stay
 * inside the new root, children inherit it, the cwd is left alone, and only
 * root may call it. Runs as root, like every app in sole. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static char jail[64];

/* The first line of path, or the errno's name when it cannot be read. */
static void show(const char *label, const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("%s: %s\n", label, buf);
}

static void result(const char *label, int rc)
{
	printf("%s: %s\n", label, rc == 0 ? "OK" : errno_name(errno));
}

static void make_jail(void)
{
	char path[128];
	snprintf(jail, sizeof jail, "/tmp/chroot-test-%d", (int)getpid());
	mkdir(jail, 0755);
	snprintf(path, sizeof path, "%s/etc", jail);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/etc/motd", jail);
	FILE *f = fopen(path, "w");
	fputs("inside the jail\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/link", jail);
	symlink("/etc/motd", path);
	snprintf(path, sizeof path, "%s/file", jail);
	close(open(path, O_CREAT | O_WRONLY, 0644));
}

static void remove_jail(void)
{
	const char *names[] = {"/etc/motd", "/etc", "/link", "/file", ""};
	char path[128];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s%s", jail, names[i]);
		remove(path);
	}
}

static void inside(void)
{
	char cwd[128];
	result("chdir to the jail", chdir(jail));
	result("chroot .", chroot("."));
	show("/etc/motd", "/etc/motd");
	show("/../../etc/motd", "/../../etc/motd");
	show("absolute symlink", "link");
	show("/tmp outside", "/tmp");
	printf("getcwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : errno_name(errno));
	result("chdir ..", chdir(".."));
	printf("getcwd after ..: %s\n", getcwd(cwd, sizeof cwd) ? cwd : errno_name(errno));
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		show("a child sees", "/etc/motd");
		fflush(stdout);
		_exit(0);
	}
	printf("child: %d\n", wait_code(child));
	result("chroot to a missing folder", chroot("/missing"));
	result("chroot to a file", chroot("/file"));
	result("chroot with a bad pointer", chroot((const char *)8));
	result("chroot to etc", chroot("etc"));
	show("cwd is left outside the new root", "etc/motd");
	show("while / is etc", "/motd");
	fflush(stdout);
	child = fork();
	if (child == 0) {
		setuid(1000);
		result("chroot as a user", chroot("/"));
		fflush(stdout);
		_exit(0);
	}
	printf("user child: %d\n", wait_code(child));
}

int main(void)
{
	make_jail();
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		inside();
		fflush(stdout);
		_exit(0);
	}
	printf("jailed process: %d\n", wait_code(child));
	char path[128];
	snprintf(path, sizeof path, "%s/etc/motd", jail);
	show("the parent's root is unchanged", path);
	remove_jail();
	return 0;
}
