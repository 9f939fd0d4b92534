/* Paths inside an image folder, see rooted_path.h. */
#define _GNU_SOURCE
#include "rooted_path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "xalloc.h"

int rooted_open(const char *root, const char *path, int flags)
{
	if (!root)
		return open(path, flags | O_CLOEXEC);
	int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return -1;
	struct open_how how = {
	    .flags = (unsigned long long)(flags | O_CLOEXEC),
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	int fd = (int)syscall(SYS_openat2, root_fd, *path ? path : ".", &how, sizeof how);
	int saved = errno;
	close(root_fd);
	errno = saved;
	return fd;
}

char *rooted_realpath(const char *root, const char *path)
{
	if (!root)
		return realpath(path, NULL);
	char *host = rooted_host_path(root, path);
	if (!host)
		return NULL;
	size_t skip = strlen(root);
	while (skip > 0 && root[skip - 1] == '/')
		skip--;
	char *inside = xstrdup(host[skip] ? host + skip : "/");
	free(host);
	return inside;
}

char *rooted_host_path(const char *root, const char *path)
{
	if (!root)
		return realpath(path, NULL);
	int fd = rooted_open(root, path, O_PATH);
	if (fd < 0)
		return NULL;
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t length = readlink(link, target, sizeof target - 1);
	int saved = errno;
	close(fd);
	if (length < 0) {
		errno = saved;
		return NULL;
	}
	target[length] = '\0';
	return xstrdup(target);
}
