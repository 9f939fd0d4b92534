/* File calls in the folder named by argv[1]: natively a temporary folder,
 * in sole the same kind of folder shared as a volume (test-apps/volume-test
 * compares the two runs and the folders they leave). Prints facts that do
 * not depend on inode numbers or the clock. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CHECK(what, call)                                                                                              \
	do {                                                                                                           \
		errno = 0;                                                                                             \
		long r_ = (long)(call);                                                                                \
		printf("%s: %ld %s\n", what, r_ < 0 ? -1l : r_, r_ < 0 ? errno_name(errno) : "OK");                    \
	} while (0)

static void show_file(const char *path)
{
	char buf[256] = {0};
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	printf("%s: [%s] %ld\n", path, n < 0 ? errno_name(errno) : buf, n);
	if (fd >= 0)
		close(fd);
}

static void write_text(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		printf("write %s: %s\n", path, errno_name(errno));
	close(fd);
}

static void basics(void)
{
	write_text("a", "hello", O_TRUNC);
	show_file("a");
	write_text("a", "HE", 0); /* no O_TRUNC: overwrites the start */
	show_file("a");
	write_text("a", "new", O_TRUNC);
	show_file("a");
	int fd = open("a", O_RDWR);
	CHECK("pwrite", pwrite(fd, "XY", 2, 10));
	struct stat st;
	fstat(fd, &st);
	printf("size after pwrite past the end: %ld\n", (long)st.st_size);
	char buf[16] = {0};
	CHECK("pread", pread(fd, buf, sizeof buf, 0));
	printf("bytes: %d %d %c%c\n", buf[3], buf[9], buf[10], buf[11]);
	struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
	CHECK("pwritev", pwritev(fd, iov, 2, 1));
	char x[3], y[5];
	struct iovec riov[2] = {{x, 3}, {y, 5}};
	CHECK("preadv", preadv(fd, riov, 2, 0));
	printf("preadv: %.3s %.5s\n", x, y);
	CHECK("ftruncate", ftruncate(fd, 4));
	CHECK("fsync", fsync(fd));
	CHECK("fdatasync", fdatasync(fd));
	close(fd);
	show_file("a");
	CHECK("truncate", truncate("a", 2));
	show_file("a");
	CHECK("open missing", open("missing", O_RDONLY));
	CHECK("open O_EXCL existing", open("a", O_CREAT | O_EXCL | O_WRONLY, 0644));
}

static void append_two_fds(void)
{
	int one = open("log", O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
	int two = open("log", O_WRONLY | O_APPEND);
	for (int i = 0; i < 3; i++) {
		(void)!write(one, "1", 1);
		(void)!write(two, "22", 2);
	}
	close(one);
	close(two);
	show_file("log");
}

static void names(void)
{
	CHECK("mkdir d", mkdir("d", 0755));
	CHECK("mkdir d again", mkdir("d", 0755));
	CHECK("mkdir d/e", mkdir("d/e", 0700));
	write_text("d/e/f", "f-data", 0);
	write_text("g", "g-data", 0);
	CHECK("rename over an existing file", rename("g", "d/e/f"));
	show_file("d/e/f");
	CHECK("rename across folders", rename("d/e/f", "moved"));
	show_file("moved");
	CHECK("rmdir non-empty", rmdir("d"));
	CHECK("rename a folder", rename("d/e", "e2"));
	CHECK("mkdir d/sub", mkdir("d/sub", 0755));
	CHECK("rmdir d/sub", rmdir("d/sub"));
	CHECK("link", link("moved", "hard"));
	struct stat st;
	stat("moved", &st);
	printf("nlink after link: %ld\n", (long)st.st_nlink);
	CHECK("symlink", symlink("moved", "sym"));
	char target[64] = {0};
	CHECK("readlink", readlink("sym", target, sizeof target));
	printf("readlink: %s\n", target);
	show_file("sym");
	lstat("sym", &st);
	printf("lstat sym: %s size %ld\n", S_ISLNK(st.st_mode) ? "link" : "other", (long)st.st_size);
	CHECK("unlink hard", unlink("hard"));
	CHECK("unlink a folder", unlink("d"));
	CHECK("rmdir a file", rmdir("moved"));
	CHECK("chmod", chmod("moved", 0600));
	stat("moved", &st);
	printf("mode: %o\n", st.st_mode & 07777);
	struct timespec times[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
	CHECK("utimensat", utimensat(AT_FDCWD, "moved", times, 0));
	stat("moved", &st);
	printf("mtime: %ld.%09ld atime: %ld.%09ld\n", (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	       (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
}

static void unlink_open_file(void)
{
	write_text("doomed", "still here", 0);
	int fd = open("doomed", O_RDONLY);
	CHECK("unlink open file", unlink("doomed"));
	CHECK("stat after unlink", access("doomed", F_OK));
	char buf[32] = {0};
	CHECK("read after unlink", read(fd, buf, sizeof buf));
	printf("content: %s\n", buf);
	close(fd);
}

static void sparse(void)
{
	int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("lseek far", lseek(fd, 5 * 1024 * 1024, SEEK_SET));
	CHECK("write at 5 MiB", write(fd, "end", 3));
	char buf[4096];
	memset(buf, 1, sizeof buf);
	CHECK("pread in the hole", pread(fd, buf, sizeof buf, 1024 * 1024));
	int zeros = 1;
	for (size_t i = 0; i < sizeof buf; i++)
		zeros &= buf[i] == 0;
	printf("hole reads as zeros: %d\n", zeros);
	CHECK("fallocate", fallocate(fd, 0, 0, 6 * 1024 * 1024));
	struct stat st;
	fstat(fd, &st);
	printf("size after fallocate: %ld\n", (long)st.st_size);
	close(fd);
}

/* 3 MiB of a pattern, written in odd pieces and read back in others. */
static void big(void)
{
	enum { SIZE = 3 * 1024 * 1024 + 123 };
	static uint8_t data[SIZE], back[SIZE];
	for (size_t i = 0; i < SIZE; i++)
		data[i] = (uint8_t)(i * 7 + i / 4096);
	int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t done = 0, piece = 1000;
	while (done < SIZE) {
		size_t n = SIZE - done < piece ? SIZE - done : piece;
		if (write(fd, data + done, n) != (ssize_t)n)
			break;
		done += n;
		piece = piece * 3 % 700000 + 1;
	}
	printf("big written: %zu\n", done);
	for (int pass = 0; pass < 2; pass++) {
		lseek(fd, 0, SEEK_SET);
		done = 0;
		piece = 777;
		while (done < SIZE) {
			ssize_t n = read(fd, back + done, piece);
			if (n <= 0)
				break;
			done += (size_t)n;
			piece = piece * 5 % 900000 + 1;
		}
		printf("big read back, pass %d: %zu equal %d\n", pass, done, memcmp(data, back, SIZE) == 0);
	}
	close(fd);
}

static void mappings(void)
{
	write_text("m", "0123456789", O_TRUNC);
	int fd = open("m", O_RDWR);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private map: %.10s\n", p);
	p[0] = 'P'; /* stays in this process */
	munmap(p, 4096);
	CHECK("ftruncate to 8192", ftruncate(fd, 8192));
	char *s = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy(s + 4096, "shared!", 7);
	s[1] = 'S';
	CHECK("msync", msync(s, 8192, MS_SYNC));
	char buf[8] = {0};
	pread(fd, buf, 7, 4096);
	printf("read sees the shared map: %s\n", buf);
	CHECK("pwrite under the map", pwrite(fd, "W", 1, 2));
	printf("the map sees pwrite: %c\n", s[2]);
	munmap(s, 8192);
	close(fd);
	show_file("m");
}

/* Reads and writes whose buffer the host fills or reads in place (sole
 * reads a file larger than its cache that way): a page a child shares with
 * its parent since fork, pages not touched yet, a mapping of another file
 * of the volume not touched yet, and addresses the app may not use. */
static void in_place(void)
{
	enum { LARGE = 20 << 20 }; /* past sole's cache at the default -m */
	int fd = open("large", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("large: pwrite at its end", pwrite(fd, "tail", 4, LARGE - 4));
	CHECK("large: pwrite at 0", pwrite(fd, "head", 4, 0));
	static char page[4096] __attribute__((aligned(4096)));
	strcpy(page, "parent");
	pid_t child = fork();
	if (child == 0) {
		long n = pread(fd, page, 4, 0);
		printf("the child reads %ld into a page it shares: %.6s\n", n, page);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	printf("the parent's page: %s\n", page);
	char *fresh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("read across two untouched pages", pread(fd, fresh + 4094, 4, LARGE - 4));
	printf("they hold: %.4s\n", fresh + 4094);
	void *volatile bad = (void *)16; /* volatile: the compiler sees no size */
	CHECK("read to a bad address", pread(fd, bad, 4, 0));
	char *read_only = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("read into a read-only page", pread(fd, read_only, 4, 0));
	CHECK("write from a bad address", pwrite(fd, bad, 4, 0));
	write_text("source", "mapped bytes", O_TRUNC);
	int src = open("source", O_RDONLY);
	char *map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, src, 0);
	CHECK("write from a mapping of another file", pwrite(fd, map, 12, 100));
	char back[13] = {0};
	CHECK("read it back", pread(fd, back, 12, 100));
	printf("it reads: %s\n", back);
	munmap(map, 4096);
	close(src);
	close(fd);
	unlink("source");
	unlink("large");
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void listing(void)
{
	CHECK("mkdir many", mkdir("many", 0755));
	for (int i = 0; i < 600; i++) {
		char name[32];
		snprintf(name, sizeof name, "many/entry-%04d", i);
		write_text(name, "", 0);
	}
	for (int i = 0; i < 600; i += 3) {
		char name[32];
		snprintf(name, sizeof name, "many/entry-%04d", i);
		unlink(name);
	}
	DIR *d = opendir("many");
	static char *found[1000];
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 1000)
		if (e->d_name[0] != '.')
			found[count++] = strdup(e->d_name);
	closedir(d);
	qsort(found, count, sizeof *found, compare_names);
	printf("many: %zu entries, first %s, last %s\n", count, count ? found[0] : "-", count ? found[count - 1] : "-");
	d = opendir(".");
	count = 0;
	while ((e = readdir(d)) && count < 1000)
		found[count++] = strdup(e->d_name);
	closedir(d);
	qsort(found, count, sizeof *found, compare_names);
	printf("top:");
	for (size_t i = 0; i < count; i++)
		printf(" %s", found[i]);
	printf("\n");
	struct statfs sf;
	CHECK("statfs", statfs(".", &sf));
}

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]) != 0) {
		fprintf(stderr, "usage: volume-files FOLDER\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	basics();
	append_two_fds();
	names();
	unlink_open_file();
	sparse();
	big();
	mappings();
	in_place();
	listing();
	return 0;
}
