/* openat2: the struct's size and flag checks, and each RESOLVE_ flag on a
 * small tree of its own: a lookup kept beneath a folder or rooted in it,
 * symlinks and /proc's magic links refused, and the cache-only lookup that
 * cannot create. Mount crossings (RESOLVE_NO_XDEV) are only shown not to
 * get in the way inside one file system, since the host's mounts and the
 * VM's differ. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static char top[64];

static long open2(int dirfd, const char *path, const void *how, size_t size)
{
	return syscall(SYS_openat2, dirfd, path, how, size);
}

/* Prints OK and what the file holds (or "dir", "link"), or the errno. */
static void show(const char *label, int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .resolve = resolve};
	long fd = open2(dirfd, path, &how, sizeof how);
	if (fd < 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	struct stat st;
	char text[32] = "";
	fstat((int)fd, &st);
	if (S_ISREG(st.st_mode)) {
		ssize_t n = read((int)fd, text, sizeof text - 1);
		text[n > 0 ? n : 0] = 0;
		text[strcspn(text, "\n")] = 0;
	} else {
		strcpy(text, S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "other");
	}
	printf("%s: OK %s\n", label, text);
	close((int)fd);
}

static void put(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", top, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void link_at(const char *target, const char *name)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", top, name);
	symlink(target, path);
}

static void make_tree(void)
{
	char path[128];
	snprintf(top, sizeof top, "/tmp/openat2-test-%d", (int)getpid());
	mkdir(top, 0755);
	snprintf(path, sizeof path, "%s/a", top);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/a/b", top);
	mkdir(path, 0755);
	put("a/b/f", "f in a/b\n");
	put("top-file", "at the top\n");
	link_at("b/f", "a/rel");            /* stays inside */
	link_at("/top-file", "a/abs");      /* absolute */
	link_at("../../..", "a/up");        /* climbs out of the tree */
	link_at("../top-file", "a/sibling"); /* up, but not out of top */
}

static void remove_tree(void)
{
	const char *names[] = {"a/b/f", "a/b", "a/rel", "a/abs", "a/up", "a/sibling", "a", "top-file", ""};
	char path[128];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", top, names[i]);
		remove(path);
	}
}

static void struct_checks(int dirfd)
{
	struct open_how how = {.flags = O_RDONLY};
	uint8_t big[64] = {0};
	memcpy(big, &how, sizeof how);
	printf("size 0: %s\n", open2(dirfd, "a/b/f", &how, 0) < 0 ? errno_name(errno) : "OK");
	printf("size 23: %s\n", open2(dirfd, "a/b/f", &how, 23) < 0 ? errno_name(errno) : "OK");
	long fd = open2(dirfd, "a/b/f", big, sizeof big);
	printf("size 64, zeros past the struct: %s\n", fd < 0 ? errno_name(errno) : "OK");
	close((int)fd);
	big[40] = 1;
	printf("size 64, a byte set past the struct: %s\n", open2(dirfd, "a/b/f", big, sizeof big) < 0 ? errno_name(errno) : "OK");
	printf("size 8192: %s\n", open2(dirfd, "a/b/f", big, 8192) < 0 ? errno_name(errno) : "OK");
	printf("bad pointer: %s\n", open2(dirfd, "a/b/f", (void *)8, sizeof how) < 0 ? errno_name(errno) : "OK");
	printf("bad path pointer: %s\n", open2(dirfd, (const char *)8, &how, sizeof how) < 0 ? errno_name(errno) : "OK");

	show("unknown flag bit", dirfd, "a/b/f", 1ull << 40, 0);
	show("unknown resolve bit", dirfd, "a/b/f", O_RDONLY, 0x40);
	show("both scopes", dirfd, "a/b/f", O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	how = (struct open_how){.flags = O_RDONLY, .mode = 0644};
	printf("mode without O_CREAT: %s\n", open2(dirfd, "a/b/f", &how, sizeof how) < 0 ? errno_name(errno) : "OK");
	how = (struct open_how){.flags = O_CREAT | O_WRONLY, .mode = 010644};
	printf("mode past 07777: %s\n", open2(dirfd, "a/b/new", &how, sizeof how) < 0 ? errno_name(errno) : "OK");
	how = (struct open_how){.flags = O_CREAT | O_WRONLY, .mode = 0600, .resolve = RESOLVE_BENEATH};
	fd = open2(dirfd, "a/b/new", &how, sizeof how);
	printf("create beneath: %s\n", fd < 0 ? errno_name(errno) : "OK");
	close((int)fd);
	struct stat st;
	char path[128];
	snprintf(path, sizeof path, "%s/a/b/new", top);
	printf("created mode %o\n", stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0);
	remove(path);
	show("plain openat2", dirfd, "a/b/f", O_RDONLY, 0);
	show("O_PATH with O_RDWR (openat2 refuses it)", dirfd, "a/b/f", O_PATH | O_RDWR, 0);
}

static void beneath(int dirfd)
{
	show("beneath a/b/f", dirfd, "a/b/f", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a/../a/b/f", dirfd, "a/../a/b/f", O_RDONLY, RESOLVE_BENEATH);
	show("beneath ..", dirfd, "..", O_RDONLY, RESOLVE_BENEATH);
	show("beneath absolute", dirfd, "/etc/passwd", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a/rel", dirfd, "a/rel", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a/abs", dirfd, "a/abs", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a/up", dirfd, "a/up", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a/sibling", dirfd, "a/sibling", O_RDONLY, RESOLVE_BENEATH);
	show("beneath the folder itself", dirfd, ".", O_RDONLY, RESOLVE_BENEATH);
	int a = openat(dirfd, "a", O_RDONLY | O_DIRECTORY);
	show("beneath a: sibling", a, "sibling", O_RDONLY, RESOLVE_BENEATH);
	show("beneath a: ../top-file", a, "../top-file", O_RDONLY, RESOLVE_BENEATH);
	close(a);
}

static void in_root(int dirfd)
{
	show("in root /top-file", dirfd, "/top-file", O_RDONLY, RESOLVE_IN_ROOT);
	show("in root ../../top-file", dirfd, "../../top-file", O_RDONLY, RESOLVE_IN_ROOT);
	show("in root a/abs", dirfd, "a/abs", O_RDONLY, RESOLVE_IN_ROOT);
	show("in root a/up", dirfd, "a/up", O_RDONLY, RESOLVE_IN_ROOT);
	show("in root /etc/passwd", dirfd, "/etc/passwd", O_RDONLY, RESOLVE_IN_ROOT);
	int a = openat(dirfd, "a", O_RDONLY | O_DIRECTORY);
	show("in root a: /b/f", a, "/b/f", O_RDONLY, RESOLVE_IN_ROOT);
	show("in root a: ../../b/f", a, "../../b/f", O_RDONLY, RESOLVE_IN_ROOT);
	close(a);
}

static void symlink_rules(int dirfd)
{
	show("no symlinks a/b/f", dirfd, "a/b/f", O_RDONLY, RESOLVE_NO_SYMLINKS);
	show("no symlinks a/rel", dirfd, "a/rel", O_RDONLY, RESOLVE_NO_SYMLINKS);
	show("no symlinks a/rel, O_NOFOLLOW", dirfd, "a/rel", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	show("no symlinks a/rel, O_PATH O_NOFOLLOW", dirfd, "a/rel", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	show("no symlinks a/up/tmp", dirfd, "a/up/tmp", O_RDONLY, RESOLVE_NO_SYMLINKS);
	show("no magic links a/rel", dirfd, "a/rel", O_RDONLY, RESOLVE_NO_MAGICLINKS);

	int file = openat(dirfd, "top-file", O_RDONLY);
	char magic[64];
	snprintf(magic, sizeof magic, "/proc/self/fd/%d", file);
	show("magic link, plain", AT_FDCWD, magic, O_RDONLY, 0);
	show("magic link, no magic links", AT_FDCWD, magic, O_RDONLY, RESOLVE_NO_MAGICLINKS);
	show("magic link, no symlinks", AT_FDCWD, magic, O_RDONLY, RESOLVE_NO_SYMLINKS);
	int fds = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	snprintf(magic, sizeof magic, "%d", file);
	show("magic link, beneath /proc/self/fd", fds, magic, O_RDONLY, RESOLVE_BENEATH);
	show("magic link, in root /proc/self/fd", fds, magic, O_RDONLY, RESOLVE_IN_ROOT);
	close(fds);
	close(file);
}

static void other_rules(int dirfd)
{
	show("no xdev a/b/f", dirfd, "a/b/f", O_RDONLY, RESOLVE_NO_XDEV);
	show("no xdev a/../a/rel", dirfd, "a/../a/rel", O_RDONLY, RESOLVE_NO_XDEV);
	show("cached with O_CREAT", dirfd, "a/b/f", O_RDONLY | O_CREAT, RESOLVE_CACHED);
	show("cached with O_TRUNC", dirfd, "a/b/f", O_RDWR | O_TRUNC, RESOLVE_CACHED);
	show("bad dirfd, beneath", 9999, "a/b/f", O_RDONLY, RESOLVE_BENEATH);
	int file = openat(dirfd, "top-file", O_RDONLY);
	show("file as dirfd, in root", file, "a", O_RDONLY, RESOLVE_IN_ROOT);
	close(file);
}

int main(void)
{
	make_tree();
	int dirfd = open(top, O_RDONLY | O_DIRECTORY);
	struct_checks(dirfd);
	beneath(dirfd);
	in_root(dirfd);
	symlink_rules(dirfd);
	other_rules(dirfd);
	/* RESOLVE_CACHED may answer EAGAIN wherever the kernel likes; a
	 * second try of a plain lookup finds it cached on any kernel. */
	struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_CACHED};
	long fd = open2(dirfd, "a/b/f", &how, sizeof how);
	if (fd < 0 && errno == EAGAIN)
		fd = open2(dirfd, "a/b/f", &how, sizeof how);
	printf("cached a/b/f: %s\n", fd < 0 ? errno_name(errno) : "OK");
	close(dirfd);
	remove_tree();
	return 0;
}
