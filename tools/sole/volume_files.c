/* Volumes for sole run (see volume_files.h): what QEMU's 9P server exports
 * for each -v. A folder is exported as it is. QEMU exports only folders, so
 * a single file is hard-linked into a private folder made beside it
 * (.sole-volume-XXXXXX, on the file's own file system), which is exported
 * instead: the VM sees that one file, its reads and writes reach the host's
 * file (the same inode), and nothing else of the file's folder is shared.
 * The link and the folder are removed when sole ends, even on a signal
 * (cleanup.c). */
#define _GNU_SOURCE
#include "volume_files.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"
#include "exit_codes.h"
#include "xalloc.h"

/* The private folder for the file volume v, with the link to its file. */
static int stage_file(struct volume_request *v)
{
	char *folder_of = xstrdup(v->host_path), *name_of = xstrdup(v->host_path);
	const char *folder = dirname(folder_of), *name = basename(name_of);
	char *staging = xasprintf("%s/.sole-volume-XXXXXX", folder);
	char *link_path = NULL;
	int status = EXIT_SOLE_ERROR;
	struct stat info;
	if (!mkdtemp(staging)) {
		sole_error("-v '%s': cannot share the file: making a folder beside it in %s failed (%s); share its "
		           "folder instead (-v %s:...) or copy the file in (--copy)",
		           v->as_typed, folder, strerror(errno), folder);
		goto out;
	}
	cleanup_remember_path(staging);
	link_path = xasprintf("%s/%s", staging, name);
	if (link(v->host_path, link_path) != 0) {
		sole_error("-v '%s': cannot share the file: linking it into %s failed (%s); share its folder instead "
		           "(-v %s:...) or copy the file in (--copy)",
		           v->as_typed, staging, strerror(errno), folder);
		goto out;
	}
	cleanup_remember_path(link_path);
	/* QEMU may run as the file's owner (qemu_user.c): it must enter the folder. */
	if (geteuid() == 0 && stat(v->host_path, &info) == 0 && chown(staging, info.st_uid, info.st_gid) != 0)
		sole_warning("-v '%s': %s keeps root as its owner (%s)", v->as_typed, staging, strerror(errno));
	chmod(staging, 0755);
	v->export_path = staging;
	staging = NULL;
	status = 0;
out:
	free(staging);
	free(link_path);
	free(folder_of);
	free(name_of);
	return status;
}

int volume_files_stage(struct volume_request *volumes, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct volume_request *v = &volumes[i];
		if (v->export_path)
			continue;
		if (!v->file) {
			v->export_path = xstrdup(v->host_path);
			continue;
		}
		int status = stage_file(v);
		if (status != 0)
			return status;
	}
	return 0;
}
