/* Program paths in read-only data, see program_paths.h. */
#include "program_paths.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define PATH_LONGEST 255

static const char *const program_folders[] = {"/bin/",           "/sbin/",           "/usr/bin/",    "/usr/sbin/",
                                              "/usr/local/bin/", "/usr/local/sbin/", "/usr/libexec/"};

/* The characters a program's path is made of in practice; a format string
 * ("/bin/%s") or a message is not a path. */
static bool path_character(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' ||
	       c == '-' || c == '_' || c == '+';
}

static bool names_a_program(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof program_folders / sizeof *program_folders; i++) {
		size_t folder = strlen(program_folders[i]);
		if (len > folder && !strncmp(s, program_folders[i], folder) && !strchr(s + folder, '/'))
			return true;
	}
	return false;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add(struct program_paths *found, const char *s, size_t len)
{
	char *path = xasprintf("%.*s", (int)len, s);
	for (size_t i = 0; i < found->count; i++)
		if (!strcmp(found->paths[i], path)) {
			free(path);
			return;
		}
	found->paths = xrealloc(found->paths, (found->count + 1) * sizeof *found->paths);
	found->paths[found->count++] = path;
	qsort(found->paths, found->count, sizeof *found->paths, compare);
}

void program_paths_scan(struct program_paths *found, const uint8_t *bytes, size_t size)
{
	for (size_t at = 0; at < size; at++) {
		/* A candidate starts with '/' right after a NUL (or at the start). */
		if (bytes[at] != '/' || (at > 0 && bytes[at - 1] != 0))
			continue;
		size_t end = at;
		while (end < size && end - at <= PATH_LONGEST && path_character(bytes[end]))
			end++;
		if (end < size && bytes[end] == 0 && names_a_program((const char *)bytes + at, end - at))
			add(found, (const char *)bytes + at, end - at);
		at = end;
	}
}

void program_paths_free(struct program_paths *found)
{
	for (size_t i = 0; i < found->count; i++)
		free(found->paths[i]);
	free(found->paths);
	*found = (struct program_paths){0};
}
