/* Shared helpers for the test-apps programs: errno names and checked printing.
 * Every program prints facts that are the same natively and inside sole. */
#ifndef SOLE_TEST_APPS_COMMON_H
#define SOLE_TEST_APPS_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The name of an errno value, so output never depends on strerror's wording
 * (musl and glibc word their messages differently). */
static inline const char *errno_name(int e)
{
	switch (e) {
	case 0: return "OK";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EXDEV: return "EXDEV";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case ESPIPE: return "ESPIPE";
	case EROFS: return "EROFS";
	case EMLINK: return "EMLINK";
	case EPIPE: return "EPIPE";
	case ERANGE: return "ERANGE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	case ENOMSG: return "ENOMSG";
	case EIDRM: return "EIDRM";
	case ENODATA: return "ENODATA";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ELOOP: return "ELOOP";
	case EOVERFLOW: return "EOVERFLOW";
	case ENOTSUP: return "ENOTSUP";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ETXTBSY: return "ETXTBSY";
	case EMSGSIZE: return "EMSGSIZE";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EADDRINUSE: return "EADDRINUSE";
	default: return "E?";
	}
}

/* Print "label: OK" for a non-negative result, or "label: ENAME" from errno. */
static inline void report(const char *label, long ret)
{
	printf("%s: %s\n", label, ret < 0 ? errno_name(errno) : "OK");
}

/* Print "label: ret" for success, "label: ENAME" for failure. */
static inline void report_value(const char *label, long ret)
{
	if (ret < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %ld\n", label, ret);
}

/* Stop the program when a step that the rest depends on fails. */
static inline void require(int ok, const char *what)
{
	if (!ok) {
		printf("FATAL: %s: %s\n", what, errno_name(errno));
		fflush(stdout);
		exit(1);
	}
}

/* A child's end as one number: its exit code, or 128 + the signal that
 * killed it, as a shell shows it; -1 when waitpid fails. */
static inline int wait_code(pid_t pid)
{
	int status = -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* fork with stdout flushed first, so buffered lines are printed once. */
static inline pid_t fork_flushed(void)
{
	fflush(stdout);
	pid_t pid = fork();
	require(pid >= 0, "fork");
	return pid;
}

/* FNV-1a, 64-bit: a checksum that is easy to recompute anywhere. */
static inline unsigned long long fnv1a(unsigned long long h, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV1A_INIT 0xcbf29ce484222325ULL

#endif
