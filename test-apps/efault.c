/* efault: bad user pointers passed straight to the kernel through syscall(2),
 * past libc's wrappers. Every call must fail with EFAULT (never crash the
 * kernel or leak its memory): a low address, a kernel-half address and a
 * non-canonical one. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void check(const char *what, const char *which, long ret)
{
	printf("%s(%s): %s\n", what, which, ret < 0 ? errno_name(errno) : "succeeded");
}

int main(void)
{
	static const struct {
		const char *name;
		unsigned long address;
	} bad[] = {
		{ "low", 1 },
		{ "kernel", 0xffffffff80000000UL },
		{ "noncanonical", 0x0000800000000000UL },
	};

	int fd = open("efault-data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	require(fd >= 0, "create efault-data");
	require(write(fd, "0123456789", 10) == 10, "write efault-data");

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p = (void *)bad[i].address;
		const char *w = bad[i].name;

		lseek(fd, 0, SEEK_SET);
		check("read", w, syscall(SYS_read, fd, p, 10));
		check("write", w, syscall(SYS_write, fd, p, 10));
		check("pread64", w, syscall(SYS_pread64, fd, p, 10, 0));
		check("stat", w, syscall(SYS_stat, p, p));
		check("open", w, syscall(SYS_open, p, O_RDONLY));
		check("openat", w, syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
		check("uname", w, syscall(SYS_uname, p));
		check("clock_gettime", w, syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
		check("getcwd", w, syscall(SYS_getcwd, p, 100));
	}
	/* A good path with a bad stat buffer must not create or change anything. */
	check("fstat bad buffer", "low", syscall(SYS_fstat, fd, (void *)1));
	close(fd);
	report("unlink efault-data", unlink("efault-data"));
	return 0;
}
