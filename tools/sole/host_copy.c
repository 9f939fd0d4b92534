/* --copy: puts a host file or folder into the initrd. Folders are copied
 * recursively; symlinks inside stay symlinks; special files are skipped with
 * a warning. SRC itself is followed when it is a symlink, as cp -H does. An
 * executable ELF brings its interpreter and libraries, as the app does,
 * except over an image (--rootfs), which has its own.
 * Modification times are kept to the nanosecond, and owners as a tar of the
 * files would keep them. */
#define _GNU_SOURCE
#include "host_copy.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_libraries.h"
#include "diag.h"
#include "exit_codes.h"
#include "paths.h"
#include "xalloc.h"

struct copy_job {
	struct cpio_archive *archive;
	const struct copy_request *copy;
	const struct run_options *options;
};

static int add_tree(const struct copy_job *job, const char *host_path, const char *guest_path, const struct stat *info);

static int not_dot_or_dot_dot(const struct dirent *entry)
{
	return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
}

/* Whether a path inside the copied folder matches one of copy->skip. */
static bool skipped(const struct copy_request *copy, const char *guest_path)
{
	size_t root = strlen(copy->guest_path);
	const char *relative = guest_path + root + (copy->guest_path[root - 1] == '/' ? 0 : 1);
	for (const char *const *pattern = copy->skip; pattern && *pattern; pattern++)
		if (fnmatch(*pattern, relative, FNM_PATHNAME) == 0)
			return true;
	return false;
}

static int add_directory_children(const struct copy_job *job, const char *host_path, const char *guest_path)
{
	const struct copy_request *copy = job->copy;
	struct dirent **children;
	int count = scandir(host_path, &children, not_dot_or_dot_dot, alphasort);
	int status = 0;

	if (count < 0) {
		sole_error("--copy %s: cannot read the folder %s: %s", copy->as_typed, host_path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	for (int i = 0; i < count; i++) {
		char *child_host = path_join(host_path, children[i]->d_name);
		char *child_guest = path_join(guest_path, children[i]->d_name);
		struct stat info;
		if (status == 0 && !skipped(copy, child_guest) && lstat(child_host, &info) == 0)
			status = add_tree(job, child_host, child_guest, &info);
		free(child_host);
		free(child_guest);
		free(children[i]);
	}
	free(children);
	return status;
}

/* What the copy keeps of the host file besides its contents and mode. */
static void keep_time_and_owner(struct cpio_archive *archive, const char *guest_path, const struct stat *info)
{
	cpio_set_mtime(archive, guest_path, info->st_mtim);
	cpio_set_owner(archive, guest_path, info->st_uid, info->st_gid);
}

static int add_symlink(struct cpio_archive *archive, const char *host_path, const char *guest_path,
                       const struct stat *info, const struct copy_request *copy)
{
	char target[PATH_MAX];
	ssize_t length = readlink(host_path, target, sizeof(target) - 1);

	if (length < 0) {
		sole_error("--copy %s: cannot read the symlink %s: %s", copy->as_typed, host_path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	target[length] = '\0';
	cpio_add_symlink(archive, guest_path, info->st_mtime, target);
	keep_time_and_owner(archive, guest_path, info);
	return 0;
}

static int add_tree(const struct copy_job *job, const char *host_path, const char *guest_path, const struct stat *info)
{
	const struct copy_request *copy = job->copy;
	if (S_ISDIR(info->st_mode)) {
		cpio_add_directory(job->archive, guest_path, info->st_mode, info->st_mtime);
		keep_time_and_owner(job->archive, guest_path, info);
		return add_directory_children(job, host_path, guest_path);
	}
	if (S_ISREG(info->st_mode)) {
		cpio_add_host_file(job->archive, guest_path, info->st_mode, info->st_mtime, host_path);
		keep_time_and_owner(job->archive, guest_path, info);
		/* an image (--rootfs) has its own libraries, which the host's must not hide */
		if (!job->options->rootfs && app_libraries_is_program(host_path))
			app_libraries_add(job->archive, host_path, copy->as_typed, job->options, false);
		return 0;
	}
	if (S_ISLNK(info->st_mode))
		return add_symlink(job->archive, host_path, guest_path, info, copy);
	sole_warning("--copy %s: skipping %s: a device, FIFO or socket; only files, folders and "
	             "symlinks are copied",
	             copy->as_typed, host_path);
	return 0;
}

int host_copy_add(struct cpio_archive *archive, const struct copy_request *copy, const struct run_options *options)
{
	const struct copy_job job = {archive, copy, options};
	struct stat info;

	if (stat(copy->host_path, &info) != 0) {
		if (errno == ENOENT)
			sole_error("--copy %s: %s does not exist on the host (relative paths start in "
			           "the current folder)",
			           copy->as_typed, copy->host_path);
		else
			sole_error("--copy %s: %s: %s", copy->as_typed, copy->host_path, strerror(errno));
		return EXIT_SOLE_ERROR;
	}
	return add_tree(&job, copy->host_path, copy->guest_path, &info);
}
