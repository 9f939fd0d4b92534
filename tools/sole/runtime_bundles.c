/* Interpreter bundles, see runtime_bundles.h and docs/runtime-bundles.md. */
#define _GNU_SOURCE
#include "runtime_bundles.h"

#include <dirent.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_libraries.h"
#include "host_copy.h"
#include "diag.h"
#include "paths.h"
#include "xalloc.h"

struct bundle_rule {
	const char *binary;           /* fnmatch pattern of the binary's real name */
	const char *library_folder;   /* format: %s is that name */
	const char *const *skip;      /* parts of the folder left out */
	const char *extension_folder; /* inside it: shared objects whose libraries are needed too */
};

/* Debian's python3.X: the standard library minus its tests, IDLE, Tk, the
 * static libpython (config-*), the 2to3 tool, and the bytecode compiled for
 * python3 -O and -OO (*.opt-1.pyc, *.opt-2.pyc), which a plain python3 never
 * reads; a host that ran such code has megabytes of it. */
static const char *const python_skip[] = {
	"config-*", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "pydoc_data",
	"__pycache__/*.opt-?.pyc", "*/__pycache__/*.opt-?.pyc", "*/*/__pycache__/*.opt-?.pyc", NULL,
};

static const struct bundle_rule rules[] = {
	{"python3.[0-9]*", "/usr/lib/%s", python_skip, "lib-dynload"},
};

/* The libraries every shared object in folder needs (all of them share the
 * program's interpreter, which is already packed). */
static int add_extension_libraries(struct cpio_archive *archive, const char *folder, const struct run_options *options)
{
	DIR *dir = opendir(folder);
	if (!dir)
		return 0;
	int status = 0;
	struct dirent *entry;
	while (status == 0 && (entry = readdir(dir))) {
		if (!fnmatch("*.so", entry->d_name, 0)) {
			char *path = path_join(folder, entry->d_name);
			status = app_libraries_add(archive, path, path, options, true);
			free(path);
		}
	}
	closedir(dir);
	return status;
}

int runtime_bundles_add(struct cpio_archive *archive, const char *host_path, const struct run_options *options)
{
	char real[PATH_MAX];
	if (!realpath(host_path, real))
		return 0;
	const char *name = basename(real);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (fnmatch(rules[i].binary, name, 0))
			continue;
		char *folder = xasprintf(rules[i].library_folder, name);
		struct stat info;
		int status = 0;
		if (stat(folder, &info) == 0 && S_ISDIR(info.st_mode)) {
			struct copy_request copy = {.as_typed = folder, .host_path = folder, .guest_path = folder,
						    .skip = rules[i].skip};
			status = host_copy_add(archive, &copy, options);
			if (status == 0 && rules[i].extension_folder) {
				char *extensions = path_join(folder, rules[i].extension_folder);
				status = add_extension_libraries(archive, extensions, options);
				free(extensions);
			}
		} else {
			sole_warning("%s: its standard library %s is not on this machine; it may not start", name,
				     folder);
		}
		free(folder);
		return status;
	}
	return 0;
}
