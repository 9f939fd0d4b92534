/* TERM and its terminfo entry for the VM (see terminfo.h). */
#include "terminfo.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run_options.h"
#include "xalloc.h"

#define DEFAULT_TERM "xterm"

/* ncurses' compiled-in search path on Debian, in its order. */
static const char *const terminfo_folders[] = {"/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"};

static const char *term_of(const struct string_list *env)
{
	for (size_t i = 0; i < env->count; i++)
		if (strncmp(env->items[i], "TERM=", 5) == 0)
			return env->items[i] + 5;
	return NULL;
}

void terminfo_set_term(struct string_list *env)
{
	if (term_of(env))
		return;
	const char *host_term = getenv("TERM");
	char *entry = xasprintf("TERM=%s", host_term && *host_term ? host_term : DEFAULT_TERM);
	environment_set(env, entry);
	free(entry);
}

void terminfo_add_entry(struct cpio_archive *archive, const struct string_list *env)
{
	const char *term = term_of(env);
	if (!term || !*term || strchr(term, '/') || term[0] == '.')
		return;
	for (size_t i = 0; i < sizeof(terminfo_folders) / sizeof(*terminfo_folders); i++) {
		char *path = xasprintf("%s/%c/%s", terminfo_folders[i], term[0], term);
		struct stat info;
		bool found = stat(path, &info) == 0 && S_ISREG(info.st_mode);
		if (found)
			cpio_add_host_file(archive, path, 0644, info.st_mtime, path);
		free(path);
		if (found)
			return;
	}
}
