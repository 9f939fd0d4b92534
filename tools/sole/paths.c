/* Where things are: lexical path normalisation, and finding the app binary on
 * the host (like a shell does) and choosing its path in the guest. */
#include "paths.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "rooted_path.h"
#include "xalloc.h"

/* Drops the last component of the absolute path being built in out[0..*length). */
static void drop_last_component(char *out, size_t *length)
{
	while (*length > 0 && out[*length - 1] != '/')
		(*length)--;
	if (*length > 0)
		(*length)--; /* the '/' before it */
}

char *path_normalise_in_guest(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t length = 0;
	const char *cursor = path;

	while (*cursor) {
		while (*cursor == '/')
			cursor++;
		size_t part = strcspn(cursor, "/");
		if (part == 0)
			break;
		if (part == 2 && cursor[0] == '.' && cursor[1] == '.') {
			drop_last_component(out, &length);
		} else if (!(part == 1 && cursor[0] == '.')) {
			out[length++] = '/';
			memcpy(out + length, cursor, part);
			length += part;
		}
		cursor += part;
	}
	if (length == 0)
		out[length++] = '/';
	out[length] = '\0';
	return out;
}

char *path_join(const char *directory, const char *name)
{
	size_t length = strlen(directory);
	if (length == 0)
		return xstrdup(name);
	if (directory[length - 1] == '/')
		return xasprintf("%s%s", directory, name);
	return xasprintf("%s/%s", directory, name);
}

static char *absolute_host_path(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);
	char *joined = path_join(cwd, path);
	free(cwd);
	char *normalised = path_normalise_in_guest(joined);
	free(joined);
	return normalised;
}

/* path in the image folder root, or on the host when root is NULL. */
static int is_executable_file(const char *root, const char *path)
{
	struct stat info;
	char *host = root ? rooted_host_path(root, path) : xstrdup(path);
	bool executable = host && stat(host, &info) == 0 && S_ISREG(info.st_mode) && access(host, X_OK) == 0;
	free(host);
	return executable;
}

/* Searches search_path ("dir:dir:...", an empty entry meaning ".") like
 * execvp, in the image folder root or (NULL) on the host. */
static char *search_path_for(const char *root, const char *name, const char *search_path)
{
	const char *cursor = search_path;

	for (;;) {
		size_t length = strcspn(cursor, ":");
		char *directory = length ? xasprintf("%.*s", (int)length, cursor) : xstrdup(".");
		char *candidate = path_join(directory, name);
		free(directory);
		if (is_executable_file(root, candidate))
			return candidate;
		free(candidate);
		if (cursor[length] == '\0')
			return NULL;
		cursor += length + 1;
	}
}

static int check_runnable_file(const char *as_typed, const char *host_path)
{
	struct stat info;

	if (stat(host_path, &info) != 0) {
		int status = errno == ENOENT || errno == ENOTDIR ? EXIT_NOT_FOUND : EXIT_NOT_RUNNABLE;
		sole_error("%s: %s", as_typed, strerror(errno));
		return status;
	}
	if (S_ISDIR(info.st_mode)) {
		sole_error("%s: is a directory; give the path of an executable file", as_typed);
		return EXIT_NOT_RUNNABLE;
	}
	if (!S_ISREG(info.st_mode)) {
		sole_error("%s: not a regular file", as_typed);
		return EXIT_NOT_RUNNABLE;
	}
	if (access(host_path, R_OK) != 0) {
		sole_error("%s: cannot read it (%s); sole must copy it into the VM", as_typed,
			   strerror(errno));
		return EXIT_NOT_RUNNABLE;
	}
	return 0;
}

int app_binary_check_executable(const struct app_binary *binary)
{
	if (access(binary->host_path, X_OK) == 0)
		return 0;
	sole_error("%s: permission denied: it is not executable (chmod +x %s)", binary->as_typed,
		   binary->as_typed);
	return EXIT_NOT_RUNNABLE;
}

int app_binary_resolve(const char *as_typed, const char *search_path, struct app_binary *binary)
{
	*binary = (struct app_binary){.as_typed = as_typed};
	if (as_typed[0] == '\0') {
		sole_error("the binary name is empty; give a path like ./hello");
		return EXIT_NOT_FOUND;
	}
	if (!strchr(as_typed, '/')) {
		char *found = search_path ? search_path_for(NULL, as_typed, search_path) : NULL;
		if (!found) {
			sole_error("%s: not found on PATH; give its path, like ./%s", as_typed,
				   as_typed);
			return EXIT_NOT_FOUND;
		}
		binary->host_path = found;
		binary->guest_path = absolute_host_path(found);
		return 0;
	}
	int status = check_runnable_file(as_typed, as_typed);
	if (status != 0)
		return status;
	binary->host_path = xstrdup(as_typed);
	binary->guest_path = path_normalise_in_guest(as_typed);
	return 0;
}

int app_binary_resolve_in_root(const char *root, const char *as_typed, const char *search_path, const char *cwd,
                               struct app_binary *binary)
{
	*binary = (struct app_binary){.as_typed = as_typed};
	if (as_typed[0] == '\0') {
		sole_error("the binary name is empty; give a path in the image, like /bin/sh");
		return EXIT_NOT_FOUND;
	}
	char *guest;
	if (!strchr(as_typed, '/')) {
		char *found = search_path ? search_path_for(root, as_typed, search_path) : NULL;
		if (!found) {
			sole_error("%s: not found on PATH (%s) in the image %s", as_typed, search_path ? search_path : "",
			           root);
			return EXIT_NOT_FOUND;
		}
		guest = found;
	} else {
		guest = as_typed[0] == '/' ? xstrdup(as_typed) : path_join(cwd, as_typed);
	}
	binary->guest_path = path_normalise_in_guest(guest);
	free(guest);
	binary->host_path = rooted_host_path(root, binary->guest_path);
	if (!binary->host_path) {
		sole_error("%s: %s in the image %s", as_typed, strerror(errno), root);
		app_binary_free(binary);
		return errno == ENOENT || errno == ENOTDIR ? EXIT_NOT_FOUND : EXIT_NOT_RUNNABLE;
	}
	int status = check_runnable_file(as_typed, binary->host_path);
	if (status != 0)
		app_binary_free(binary);
	return status;
}

void app_binary_free(struct app_binary *binary)
{
	free(binary->host_path);
	free(binary->guest_path);
	*binary = (struct app_binary){0};
}
