/* A private folder for fuzz targets that read files, see scratch_dir.h. */
#define _GNU_SOURCE
#include "scratch_dir.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char folder[4096];

static int remove_one(const char *path, const struct stat *info, int type, struct FTW *at)
{
	(void)info, (void)type, (void)at;
	return remove(path);
}

static void remove_folder(void) { nftw(folder, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

const char *scratch_dir(void)
{
	if (folder[0])
		return folder;
	const char *tmp = getenv("TMPDIR");
	char pattern[4096];
	snprintf(pattern, sizeof pattern, "%s/sole-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *made = mkdtemp(pattern);
	char *canonical = made ? realpath(made, NULL) : NULL;
	if (!canonical) {
		perror("fuzz: cannot make a scratch folder");
		abort();
	}
	snprintf(folder, sizeof folder, "%s", canonical);
	free(canonical);
	atexit(remove_folder);
	return folder;
}

const char *scratch_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[4200];
	snprintf(path, sizeof path, "%s/%s", scratch_dir(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) != 0) {
		perror(path);
		abort();
	}
	return path;
}
