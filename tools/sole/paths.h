/* Where things are: lexical path normalisation, and finding the app binary on
 * the host (like a shell does) and choosing its path in the guest. */
#ifndef SOLE_PATHS_H
#define SOLE_PATHS_H

/* Collapses "//", "." and ".." without touching the disk; a relative path is
 * taken from "/". The result is absolute and has no trailing '/'. */
char *path_normalise_in_guest(const char *path);

char *path_join(const char *directory, const char *name);

struct app_binary {
	const char *as_typed; /* argv[0], exactly what the user typed */
	char *host_path;      /* a path the host can open */
	char *guest_path;     /* where the initrd holds it */
};

/* Finds BINARY the way a shell would (on PATH only executable files count).
 * On failure prints why and returns the exit status (127 not found, 126 not
 * readable); 0 on success. */
int app_binary_resolve(const char *as_typed, const char *search_path, struct app_binary *binary);
/* The same in an image folder (sole run --rootfs): BINARY and the PATH
 * search (a relative path from cwd, the app's working directory) are the
 * image's, symlinks followed inside root (canonical). guest_path is the
 * path in the image, host_path the file the host reads. */
int app_binary_resolve_in_root(const char *root, const char *as_typed, const char *search_path, const char *cwd,
                               struct app_binary *binary);
/* The execute permission, checked after the ELF checks so that a malformed
 * file is named as such. Returns 0 or the exit status (126). */
int app_binary_check_executable(const struct app_binary *binary);
void app_binary_free(struct app_binary *binary);

#endif
