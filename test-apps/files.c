/* files: the file-system syscalls on the writable tree under the current
 * directory. Everything it reads it creates first, and it removes all of it
 * at the end. File descriptor numbers are printed on purpose: Linux hands out
 * the lowest free one, and programs rely on that. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#ifndef SYS_statx
#define SYS_statx 332
#endif

/* struct statx as the Linux ABI lays it out; musl 1.2.3 has no header for it. */
struct statx_abi {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t pad0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	uint64_t timestamps[8];
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
#define STATX_TYPE_MODE_SIZE (0x1U | 0x2U | 0x200U)

/* The layout of one getdents64 record. */
struct dirent64_abi {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static const char *type_name(mode_t mode)
{
	if (S_ISREG(mode))
		return "regular";
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISLNK(mode))
		return "symlink";
	if (S_ISCHR(mode))
		return "char";
	return "other";
}

static void show_stat(const char *label, int ret, const struct stat *st)
{
	if (ret < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else if (S_ISDIR(st->st_mode)) /* a directory's size depends on the file system */
		printf("%s: %s mode=%04o\n", label, type_name(st->st_mode), (unsigned)(st->st_mode & 07777));
	else
		printf("%s: %s size=%lld mode=%04o\n", label, type_name(st->st_mode), (long long)st->st_size,
		       (unsigned)(st->st_mode & 07777));
}

static void show_read(const char *label, ssize_t n, const char *buf)
{
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %zd [%.*s]\n", label, n, (int)n, buf);
}

static void show_size(const char *label, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: size=%lld\n", label, (long long)st.st_size);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_directory(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	require(fd >= 0, "open directory");
	char *names[64];
	size_t count = 0;
	/* A small buffer forces several getdents64 calls. */
	char buf[96];
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		require(n >= 0, "getdents64");
		if (n == 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64_abi *d = (struct dirent64_abi *)(buf + off);
			const char *type = "?";
			if (d->d_type == DT_DIR)
				type = "dir";
			else if (d->d_type == DT_REG)
				type = "file";
			else if (d->d_type == DT_UNKNOWN) {
				/* Legal on Linux: the caller asks stat. */
				struct stat st;
				if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
					type = S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "?";
			}
			char *entry = malloc(strlen(d->d_name) + 8);
			require(entry != NULL && count < 64, "directory entry");
			sprintf(entry, "%s (%s)", d->d_name, type);
			names[count++] = entry;
			off += d->d_reclen;
		}
	}
	close(fd);
	qsort(names, count, sizeof(names[0]), compare_strings);
	printf("getdents64 %s:", path);
	for (size_t i = 0; i < count; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void test_read_write(void)
{
	char buf[64];
	int fd = creat("f1", 0644);
	report_value("creat f1 (fd)", fd);
	report_value("write", write(fd, "hello world", 11));
	errno = 0;
	show_read("read on O_WRONLY fd", read(fd, buf, sizeof(buf)), buf);
	close(fd);

	errno = 0;
	report("open O_CREAT|O_EXCL existing", open("f1", O_RDWR | O_CREAT | O_EXCL, 0644));
	fd = open("f1", O_RDWR);
	report_value("open f1 O_RDWR (fd)", fd);
	show_read("read", read(fd, buf, sizeof(buf)), buf);
	show_read("read at eof", read(fd, buf, sizeof(buf)), buf);
	report_value("lseek SEEK_SET 6", lseek(fd, 6, SEEK_SET));
	show_read("read", read(fd, buf, 5), buf);
	report_value("lseek SEEK_CUR -8", lseek(fd, -8, SEEK_CUR));
	report_value("lseek SEEK_END -2", lseek(fd, -2, SEEK_END));
	show_read("read", read(fd, buf, sizeof(buf)), buf);
	errno = 0;
	report_value("lseek SEEK_SET -1", lseek(fd, -1, SEEK_SET));
	show_read("pread64 4 at 2", pread(fd, buf, 4, 2), buf);
	report_value("pwrite64 'W' at 0", pwrite(fd, "W", 1, 0));
	report_value("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR));
	/* Writing past the end leaves a hole that reads as zeros. */
	report_value("lseek SEEK_END +4", lseek(fd, 4, SEEK_END));
	report_value("write past end", write(fd, "!", 1));
	memset(buf, 'x', sizeof(buf));
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	printf("file now %zd bytes:", n);
	for (ssize_t i = 0; i < n; i++)
		printf(" %02x", (unsigned char)buf[i]);
	printf("\n");

	struct stat st;
	show_stat("fstat f1", fstat(fd, &st), &st);
	printf("fstat nlink=%lu\n", (unsigned long)st.st_nlink);
	close(fd);
	errno = 0;
	report("write on closed fd", write(fd, "x", 1));
	errno = 0;
	report("close closed fd", close(fd));
}

static void test_stat_family(void)
{
	struct stat st;
	show_stat("stat f1", stat("f1", &st), &st);
	show_stat("lstat f1", lstat("f1", &st), &st);
	show_stat("fstatat f1", fstatat(AT_FDCWD, "f1", &st, 0), &st);
	errno = 0;
	show_stat("stat missing", stat("missing", &st), &st);
	errno = 0;
	show_stat("stat f1/x (not a directory)", stat("f1/x", &st), &st);

	struct statx_abi sx;
	memset(&sx, 0, sizeof(sx));
	long r = syscall(SYS_statx, AT_FDCWD, "f1", 0, STATX_TYPE_MODE_SIZE, &sx);
	if (r < 0)
		printf("statx f1: %s\n", errno_name(errno));
	else
		printf("statx f1: %s size=%llu mode=%04o mask has type|mode|size: %s\n", type_name(sx.stx_mode),
		       (unsigned long long)sx.stx_size, sx.stx_mode & 07777,
		       (sx.stx_mask & STATX_TYPE_MODE_SIZE) == STATX_TYPE_MODE_SIZE ? "yes" : "no");

	int fd = open("f1", O_RDONLY);
	memset(&sx, 0, sizeof(sx));
	r = syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_TYPE_MODE_SIZE, &sx);
	printf("statx fd AT_EMPTY_PATH: %s size=%llu\n", r < 0 ? errno_name(errno) : "OK",
	       (unsigned long long)sx.stx_size);
	show_stat("fstatat fd AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH), &st);
	close(fd);
}

static void test_fcntl(void)
{
	int fd = open("f1", O_WRONLY);
	int flags = fcntl(fd, F_GETFL);
	printf("F_GETFL: accmode=%s append=%s\n", (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "other",
	       flags & O_APPEND ? "yes" : "no");
	report("F_SETFL O_APPEND", fcntl(fd, F_SETFL, flags | O_APPEND));
	flags = fcntl(fd, F_GETFL);
	printf("F_GETFL: append=%s\n", flags & O_APPEND ? "yes" : "no");
	report_value("write with O_APPEND", write(fd, "END", 3));
	show_size("size after append", "f1");

	report_value("F_GETFD", fcntl(fd, F_GETFD));
	report("F_SETFD FD_CLOEXEC", fcntl(fd, F_SETFD, FD_CLOEXEC));
	report_value("F_GETFD", fcntl(fd, F_GETFD));

	int high = fcntl(fd, F_DUPFD, 10);
	report_value("F_DUPFD 10", high);
	report_value("F_GETFD of F_DUPFD copy", fcntl(high, F_GETFD));
	int high2 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	report_value("F_DUPFD_CLOEXEC 10", high2);
	report_value("F_GETFD of F_DUPFD_CLOEXEC copy", fcntl(high2, F_GETFD));
	close(high);
	close(high2);

	int d = dup(fd);
	report_value("dup", d);
	report_value("dup2 to 20", dup2(fd, 20));
	report_value("dup2 to itself", dup2(fd, fd));
	report_value("dup3 to 21 O_CLOEXEC", dup3(fd, 21, O_CLOEXEC));
	report_value("F_GETFD 21", fcntl(21, F_GETFD));
	errno = 0;
	report_value("dup3 to itself", dup3(fd, fd, 0));
	/* Duplicates share the file offset. */
	report_value("lseek original to 1", lseek(fd, 1, SEEK_SET));
	report_value("offset seen through dup", lseek(d, 0, SEEK_CUR));
	close(d);
	close(20);
	close(21);
	close(fd);
	errno = 0;
	report("F_GETFD on closed fd", fcntl(fd, F_GETFD));
	errno = 0;
	report("dup2 from closed fd", dup2(fd, 22));
}

static void test_directories(void)
{
	report("mkdir d", mkdir("d", 0755));
	errno = 0;
	report("mkdir d again", mkdir("d", 0755));
	report("mkdir d/sub", mkdir("d/sub", 0755));
	int fd = open("d/a", O_CREAT | O_WRONLY, 0644);
	close(fd);
	fd = open("d/b", O_CREAT | O_WRONLY, 0644);
	close(fd);
	list_directory("d");

	struct stat st;
	show_stat("stat d", stat("d", &st), &st);
	errno = 0;
	report("rmdir non-empty d", rmdir("d"));
	errno = 0;
	report("unlink directory d/sub", unlink("d/sub"));
	errno = 0;
	report("rmdir file d/a", rmdir("d/a"));
	errno = 0;
	report("open d/a O_DIRECTORY", open("d/a", O_RDONLY | O_DIRECTORY));
	errno = 0;
	report("open missing", open("missing", O_RDONLY));
	errno = 0;
	report("open missing/x O_CREAT", open("missing/x", O_RDONLY | O_CREAT, 0644));
	errno = 0;
	report("open directory O_WRONLY", open("d", O_WRONLY));
	errno = 0;
	report("open directory O_RDWR", open("d", O_RDWR));
	fd = open("d", O_RDONLY);
	char buf[8];
	errno = 0;
	report("read on a directory fd", read(fd, buf, sizeof(buf)));
	close(fd);

	/* openat resolves relative to the directory fd. */
	int dirfd = open("d", O_RDONLY | O_DIRECTORY);
	fd = openat(dirfd, "c", O_CREAT | O_WRONLY, 0644);
	report("openat d/c", fd);
	close(fd);
	show_stat("fstatat dirfd c", fstatat(dirfd, "c", &st, 0), &st);
	close(dirfd);

	report("rename d/a d/renamed", rename("d/a", "d/renamed"));
	report("rename d/b over d/renamed", rename("d/b", "d/renamed"));
	errno = 0;
	report("rename missing", rename("d/nothing", "d/x"));
	errno = 0;
	report("rename into missing directory", rename("d/c", "nowhere/c"));
	list_directory("d");

	/* renameat2's RENAME_EXCHANGE swaps a file and a folder in place. */
	report("exchange d/c and d/sub", syscall(SYS_renameat2, AT_FDCWD, "d/c", AT_FDCWD, "d/sub", 2));
	list_directory("d");
	report("exchange them back", syscall(SYS_renameat2, AT_FDCWD, "d/sub", AT_FDCWD, "d/c", 2));
	errno = 0;
	report("exchange with a missing name", syscall(SYS_renameat2, AT_FDCWD, "d/c", AT_FDCWD, "d/none", 2));
	errno = 0;
	report("exchange and noreplace", syscall(SYS_renameat2, AT_FDCWD, "d/c", AT_FDCWD, "d/sub", 3));
	list_directory("d");
}

static void test_access_truncate(void)
{
	report("access f1 F_OK", access("f1", F_OK));
	report("access f1 R_OK|W_OK", access("f1", R_OK | W_OK));
	errno = 0;
	report("access f1 X_OK (mode 0644)", access("f1", X_OK));
	errno = 0;
	report("access missing", access("missing", F_OK));
	report("faccessat d/renamed", faccessat(AT_FDCWD, "d/renamed", R_OK, 0));
	errno = 0;
	report("faccessat missing", faccessat(AT_FDCWD, "d/missing", F_OK, 0));

	report("truncate f1 to 5", truncate("f1", 5));
	show_size("size", "f1");
	int fd = open("f1", O_RDWR);
	report("ftruncate f1 to 100", ftruncate(fd, 100));
	show_size("size", "f1");
	char buf[128];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);
	int zeros = 1;
	for (ssize_t i = 5; i < n; i++)
		zeros &= buf[i] == 0;
	printf("read %zd, first 5 [%.5s], rest zero: %s\n", n, buf, zeros ? "yes" : "no");
	errno = 0;
	report("ftruncate negative", ftruncate(fd, -1));
	close(fd);
	fd = open("f1", O_RDONLY);
	errno = 0;
	report("ftruncate O_RDONLY fd", ftruncate(fd, 0));
	close(fd);
	report("truncate f1 to 3", truncate("f1", 3));
	/* O_PATH ignores every other flag: no truncation, no creation */
	fd = open("f1", O_PATH | O_WRONLY | O_TRUNC);
	report("open f1 O_PATH|O_WRONLY|O_TRUNC", fd);
	show_size("size after O_PATH|O_TRUNC", "f1");
	close(fd);
	errno = 0;
	report("open missing O_PATH|O_CREAT", open("missing", O_PATH | O_CREAT, 0644));
	fd = open("f1", O_RDWR | O_TRUNC);
	show_size("size after O_TRUNC", "f1");
	close(fd);

	/* a sparse file's blocks are the pages written, not its size */
	fd = open("sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
	report("ftruncate sparse to 1 GiB", ftruncate(fd, 1l << 30));
	report("pwrite a byte at 1 MiB", pwrite(fd, "x", 1, 1 << 20) == 1 ? 0 : -1);
	struct stat st;
	report("fstat sparse", fstat(fd, &st));
	printf("sparse GiB holds under 64 blocks: %s\n", st.st_blocks < 64 ? "yes" : "no");
	close(fd);
	report("unlink sparse", unlink("sparse"));
}

static void test_chdir(void)
{
	int here = open(".", O_RDONLY | O_DIRECTORY);
	require(here >= 0, "open .");
	report("chdir d/sub", chdir("d/sub"));
	int fd = open("inner", O_CREAT | O_WRONLY, 0644);
	report("create inner", fd);
	close(fd);
	report("access ../renamed", access("../renamed", F_OK));
	report("chdir ..", chdir(".."));
	report("access sub/inner", access("sub/inner", F_OK));
	report("fchdir back", fchdir(here));
	report("access d/sub/inner", access("d/sub/inner", F_OK));
	close(here);
	errno = 0;
	report("chdir to a file", chdir("f1"));
	errno = 0;
	report("chdir missing", chdir("missing"));
}

static void test_umask(void)
{
	mode_t old = umask(027);
	int fd = open("masked", O_CREAT | O_WRONLY, 0666);
	close(fd);
	mkdir("masked-dir", 0777);
	struct stat st;
	show_stat("file created 0666 under umask 027", stat("masked", &st), &st);
	show_stat("directory created 0777 under umask 027", stat("masked-dir", &st), &st);
	umask(0);
	fd = open("unmasked", O_CREAT | O_WRONLY, 0666);
	close(fd);
	show_stat("file created 0666 under umask 0", stat("unmasked", &st), &st);
	report("chmod unmasked 0600", chmod("unmasked", 0600));
	show_stat("after chmod", stat("unmasked", &st), &st);
	umask(old);
}

static void cleanup(void)
{
	static const char *const files[] = { "f1", "d/renamed", "d/c", "d/sub/inner", "masked", "unmasked" };
	static const char *const dirs[] = { "d/sub", "d", "masked-dir" };
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		report(files[i], unlink(files[i]));
	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		report(dirs[i], rmdir(dirs[i]));
	errno = 0;
	report("unlink again", unlink("f1"));
}

/* Reads a folder a few entries at a time with getdents64 and calls take on
 * each name but "." and "..": how many it saw. */
static int read_in_small_steps(int dirfd, void (*take)(int dirfd, const char *name))
{
	char buf[160]; /* room for a few records only */
	int seen = 0;
	long n;
	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof buf)) > 0)
		for (long at = 0; at < n;) {
			const struct dirent64_abi *d = (const struct dirent64_abi *)(buf + at);
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
				take(dirfd, d->d_name);
				seen++;
			}
			at += d->d_reclen;
		}
	return seen;
}

static void unlink_entry(int dirfd, const char *name) { unlinkat(dirfd, name, 0); }

static int listing_fd = -1;

static void close_listed(int dirfd, const char *name)
{
	(void)dirfd;
	int fd = atoi(name);
	if (fd > 2 && fd != listing_fd)
		close(fd);
}

/* Entries removed while a reader goes through their folder: every entry
 * that was there is seen once, in a plain folder and in /proc/self/fd,
 * where Python's subprocess closes descriptors as it lists them. */
static void test_readdir_while_removing(void)
{
	mkdir("readdir-tmp", 0755);
	char name[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "readdir-tmp/f%02d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	int dirfd = open("readdir-tmp", O_RDONLY | O_DIRECTORY);
	printf("unlinking while reading: saw %d of 40\n", read_in_small_steps(dirfd, unlink_entry));
	close(dirfd);
	printf("rmdir after: %s\n", rmdir("readdir-tmp") == 0 ? "OK" : errno_name(errno));

	int first = dup(0);
	for (int i = 1; i < 30; i++)
		dup(0);
	listing_fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	read_in_small_steps(listing_fd, close_listed);
	int left = 0;
	for (int fd = first; fd < first + 31; fd++)
		left += fd != listing_fd && fcntl(fd, F_GETFD) >= 0;
	printf("closing while listing /proc/self/fd: %d left open\n", left);
	close(listing_fd);
}

int main(void)
{
	test_read_write();
	test_stat_family();
	test_fcntl();
	test_directories();
	test_access_truncate();
	test_chdir();
	test_umask();
	test_readdir_while_removing();
	cleanup();
	return 0;
}
