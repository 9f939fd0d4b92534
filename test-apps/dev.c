/* dev: the synthetic device files /dev/null, /dev/zero, /dev/urandom,
 * /dev/random, and the getrandom syscall. Random bytes are counted, never shown. */
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common.h"

static void show_node(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		printf("stat %s: %s\n", path, errno_name(errno));
		return;
	}
	printf("stat %s: %s %u:%u\n", path, S_ISCHR(st.st_mode) ? "char" : "not-char",
	       major(st.st_rdev), minor(st.st_rdev));
}

/* mknod of device nodes: one with the number of /dev/null works as it; one
 * with a number no driver has (240-254 are for local use) opens with ENXIO,
 * as does a block node; only root may make them. */
static void device_nodes(void)
{
	char path[64], other[64], block[64];
	snprintf(path, sizeof path, "/tmp/dev-test-null-%d", (int)getpid());
	snprintf(other, sizeof other, "/tmp/dev-test-none-%d", (int)getpid());
	snprintf(block, sizeof block, "/tmp/dev-test-block-%d", (int)getpid());
	report_value("mknod a char node 1:3", mknod(path, S_IFCHR | 0666, makedev(1, 3)));
	struct stat st;
	if (stat(path, &st) == 0)
		printf("the node: %s %u:%u\n", S_ISCHR(st.st_mode) ? "char" : "not-char", major(st.st_rdev),
		       minor(st.st_rdev));
	int fd = open(path, O_RDWR);
	report_value("its write 5", fd < 0 ? -1 : write(fd, "hello", 5));
	close(fd);
	report_value("mknod a char node 240:77", mknod(other, S_IFCHR | 0600, makedev(240, 77)));
	report_value("open it", open(other, O_RDONLY));
	report_value("mknod a block node 240:77", mknod(block, S_IFBLK | 0600, makedev(240, 77)));
	report_value("open it", open(block, O_RDONLY));
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		setuid(1000);
		report_value("mknod as a user", mknod("/tmp/dev-test-user", S_IFCHR | 0600, makedev(1, 3)));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	unlink(path);
	unlink(other);
	unlink(block);
}

int main(void)
{
	char buf[4096];

	int fd = open("/dev/null", O_RDWR);
	require(fd >= 0, "open /dev/null");
	report_value("/dev/null write 5", write(fd, "hello", 5));
	report_value("/dev/null read", read(fd, buf, sizeof(buf)));
	/* null_lseek: every seek lands at 0, so a buffered r+ open works. */
	report_value("/dev/null lseek 5", lseek(fd, 5, SEEK_SET));
	report_value("/dev/null lseek from the end", lseek(fd, 7, SEEK_END));
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	report_value("/dev/urandom lseek 5 (stays put)", lseek(fd, 5, SEEK_SET));
	close(fd);
	show_node("/dev/null");

	fd = open("/dev/zero", O_RDWR);
	require(fd >= 0, "open /dev/zero");
	memset(buf, 0xaa, sizeof(buf));
	ssize_t n = read(fd, buf, sizeof(buf));
	int zeros = 1;
	for (ssize_t i = 0; i < n; i++)
		zeros &= buf[i] == 0;
	printf("/dev/zero read: %zd bytes, all zero: %s\n", n, zeros ? "yes" : "no");
	report_value("/dev/zero write 5", write(fd, "hello", 5));
	close(fd);
	show_node("/dev/zero");

	static const char *const random_devices[] = { "/dev/urandom", "/dev/random" };
	for (int d = 0; d < 2; d++) {
		fd = open(random_devices[d], O_RDONLY);
		if (fd < 0) {
			printf("open %s: %s\n", random_devices[d], errno_name(errno));
			continue;
		}
		n = read(fd, buf, 64);
		printf("%s read 64: %zd\n", random_devices[d], n);
		close(fd);
		show_node(random_devices[d]);
	}

	unsigned char a[16], b[16];
	report_value("getrandom 16", getrandom(a, sizeof(a), 0));
	report_value("getrandom 16 GRND_NONBLOCK", getrandom(b, sizeof(b), GRND_NONBLOCK));
	printf("two getrandom results differ: %s\n", memcmp(a, b, sizeof(a)) ? "yes" : "no");
	device_nodes();
	return 0;
}
