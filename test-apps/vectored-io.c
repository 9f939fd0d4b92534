/* Positioned vectored I/O (preadv, pwritev and their v2 forms), the old
 * getdents record layout, and capget's version negotiation. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

/* From linux/capability.h, which musl's headers do not carry. */
struct cap_header {
	unsigned version;
	int pid;
};

struct old_dirent {
	unsigned long d_ino, d_off;
	unsigned short d_reclen;
	char d_name[];
};

int main(void)
{
	int fd = open("vectored.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char a[] = "alpha-", b[] = "beta";
	struct iovec out[2] = {{a, 6}, {b, 4}};
	report("pwritev at 5", pwritev(fd, out, 2, 5));
	report_value("position still 0", lseek(fd, 0, SEEK_CUR));
	char x[8] = {0}, y[8] = {0};
	struct iovec in[2] = {{x, 3}, {y, 7}};
	report("preadv at 5", preadv(fd, in, 2, 5));
	printf("read back: [%s] [%s]\n", x, y);
	report("pwritev2 at -1 (the position)", syscall(SYS_pwritev2, fd, out, 1, -1L, 0L, 0));
	report_value("position moved", lseek(fd, 0, SEEK_CUR));
	report("preadv2 with an unknown flag", syscall(SYS_preadv2, fd, in, 1, 0L, 0L, 0x1000));
	report("preadv at -2", preadv(fd, in, 1, -2));
	close(fd);

	mkdir("listing", 0755);
	close(open("listing/one", O_CREAT | O_WRONLY, 0644));
	int dir = open("listing", O_RDONLY | O_DIRECTORY);
	char buffer[512];
	long n = syscall(SYS_getdents, dir, buffer, sizeof buffer);
	int entries = 0, found = 0;
	for (long at = 0; at < n;) {
		struct old_dirent *d = (struct old_dirent *)(buffer + at);
		unsigned char type = (unsigned char)buffer[at + d->d_reclen - 1];
		entries++;
		if (!strcmp(d->d_name, "one") && type == 8 /* DT_REG */)
			found++;
		at += d->d_reclen;
	}
	printf("getdents: %d entries, 'one' as a regular file: %d\n", entries, found);
	close(dir);

	struct cap_header header = {0x12345678, 0};
	long r = syscall(SYS_capget, &header, NULL);
	printf("capget with an unknown version: %ld, preferred version 0x%x\n", r, header.version);
	header.pid = 999999;
	report("capget of a missing pid", syscall(SYS_capget, &header, NULL));
	return 0;
}
