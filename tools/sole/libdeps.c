/* The dependency resolver: which shared libraries a dynamic ELF loads, found
 * the way glibc's ld.so finds them, without running anything. */
#include "libdeps.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ld_so_cache.h"
#include "rooted_path.h"
#include "string_list.h"
#include "xalloc.h"

static const char *const multiarch_default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", NULL,
};

/* What ld.so reads from one object's dynamic section. */
struct dynamic_info {
	char *interpreter;
	char *soname;
	struct string_list needed;
	char *rpath;
	char *runpath;
};

/* One object in load order: the binary (index 0) or a library. */
struct loaded_object {
	char *real_path;
	char *soname; /* DT_SONAME, or the name that found it */
	struct dynamic_info info;
	size_t loader; /* who needed it; the binary is its own loader */
};

struct resolver {
	const struct libdeps_options *options;
	const char *const *default_dirs;
	/* musl's loader: no ld.so.cache, its own folder list, and it is libc
	 * itself (it answers DT_NEEDED libc.so). NULL for glibc's. */
	char *musl_path;
	struct ld_so_cache cache;
	struct loaded_object *objects;
	size_t object_count;
	char *problem;
	size_t problem_size;
};

static void dynamic_info_free(struct dynamic_info *info)
{
	free(info->interpreter);
	free(info->soname);
	string_list_free(&info->needed);
	free(info->rpath);
	free(info->runpath);
}

static char *read_interpreter(Elf *elf)
{
	size_t count;
	size_t file_size;
	const char *raw = elf_rawfile(elf, &file_size);

	if (elf_getphdrnum(elf, &count) != 0 || !raw)
		return NULL;
	for (size_t i = 0; i < count; i++) {
		GElf_Phdr header;
		if (!gelf_getphdr(elf, (int)i, &header) || header.p_type != PT_INTERP)
			continue;
		if (header.p_offset >= file_size || header.p_filesz > file_size - header.p_offset)
			return NULL;
		return strndup(raw + header.p_offset, header.p_filesz);
	}
	return NULL;
}

static void read_dynamic_section(Elf *elf, Elf_Scn *section, const GElf_Shdr *header, struct dynamic_info *info)
{
	Elf_Data *data = elf_getdata(section, NULL);
	size_t count = header->sh_entsize ? header->sh_size / header->sh_entsize : 0;

	for (size_t i = 0; data && i < count; i++) {
		GElf_Dyn entry;
		if (!gelf_getdyn(data, (int)i, &entry) || entry.d_tag == DT_NULL)
			break;
		const char *text = elf_strptr(elf, header->sh_link, entry.d_un.d_val);
		if (!text)
			continue;
		switch (entry.d_tag) {
		case DT_NEEDED:
			string_list_append(&info->needed, text);
			break;
		case DT_SONAME:
			free(info->soname);
			info->soname = xstrdup(text);
			break;
		case DT_RPATH:
			free(info->rpath);
			info->rpath = xstrdup(text);
			break;
		case DT_RUNPATH:
			free(info->runpath);
			info->runpath = xstrdup(text);
			break;
		}
	}
}

/* Reads path's PT_INTERP and dynamic section. Returns 0, 1 when the file is
 * not an x86_64 ELF64 (ld.so skips those and searches on), or -1 when it
 * cannot be opened (errno set). */
static int read_dynamic_info(const char *root, const char *path, struct dynamic_info *info)
{
	*info = (struct dynamic_info){0};
	int fd = rooted_open(root, path, O_RDONLY);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr header;
	int result = 1;
	if (elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &header) &&
	    header.e_ident[EI_CLASS] == ELFCLASS64 && header.e_machine == EM_X86_64) {
		result = 0;
		info->interpreter = read_interpreter(elf);
		for (Elf_Scn *section = NULL; (section = elf_nextscn(elf, section));) {
			GElf_Shdr section_header;
			if (gelf_getshdr(section, &section_header) && section_header.sh_type == SHT_DYNAMIC)
				read_dynamic_section(elf, section, &section_header, info);
		}
	}
	elf_end(elf);
	close(fd);
	return result;
}

static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Replaces $ORIGIN, ${ORIGIN}, $LIB and $PLATFORM as Debian's ld.so does. */
static char *expand_tokens(const char *dir, const char *origin)
{
	static const struct {
		const char *token;
		const char *braced;
		const char *value; /* NULL: the origin */
	} tokens[] = {
		{"$ORIGIN", "${ORIGIN}", NULL},
		{"$LIB", "${LIB}", "lib/x86_64-linux-gnu"},
		{"$PLATFORM", "${PLATFORM}", "x86_64"},
	};
	char *result = xstrdup("");
	while (*dir) {
		size_t plain = strcspn(dir, "$");
		char *longer = xasprintf("%s%.*s", result, (int)plain, dir);
		free(result);
		result = longer;
		dir += plain;
		if (!*dir)
			break;
		const char *value = "$";
		size_t skip = 1;
		for (size_t i = 0; i < sizeof(tokens) / sizeof(*tokens); i++) {
			size_t length = strlen(tokens[i].token), braced = strlen(tokens[i].braced);
			bool bare = strncmp(dir, tokens[i].token, length) == 0 &&
				    !(dir[length] == '_' || (dir[length] >= 'A' && dir[length] <= 'Z'));
			if (bare || strncmp(dir, tokens[i].braced, braced) == 0) {
				value = tokens[i].value ? tokens[i].value : origin;
				skip = bare ? length : braced;
				break;
			}
		}
		longer = xasprintf("%s%s", result, value);
		free(result);
		result = longer;
		dir += skip;
	}
	return result;
}

/* Tries name in each folder of a ':'-separated list; returns the first path
 * that holds an x86_64 ELF64, or NULL. */
static char *search_list(const char *root, const char *list, const char *name, const char *origin)
{
	if (!list || !*list)
		return NULL;
	char *copy = xstrdup(list);
	char *found = NULL;
	for (char *save = NULL, *dir = strtok_r(copy, ":;", &save); dir && !found;
	     dir = strtok_r(NULL, ":;", &save)) {
		char *expanded = expand_tokens(dir, origin);
		char *candidate = xasprintf("%s/%s", expanded, name);
		struct dynamic_info info;
		if (read_dynamic_info(root, candidate, &info) == 0)
			found = candidate;
		else
			free(candidate);
		dynamic_info_free(&info);
		free(expanded);
	}
	free(copy);
	return found;
}

static char *origin_of(const struct resolver *resolver, size_t object)
{
	return directory_of(resolver->objects[object].real_path);
}

/* DT_RPATH of the object and of each loader up to the binary, used only when
 * the object has no DT_RUNPATH (as glibc does). */
static char *search_rpaths(const struct resolver *resolver, size_t object, const char *name)
{
	if (resolver->objects[object].info.runpath)
		return NULL;
	for (size_t at = object;; at = resolver->objects[at].loader) {
		char *origin = origin_of(resolver, at);
		char *found = search_list(resolver->options->root, resolver->objects[at].info.rpath, name, origin);
		free(origin);
		if (found || at == 0)
			return found;
	}
}

static char *search_cache_and_defaults(const struct resolver *resolver, const char *name)
{
	if (resolver->musl_path)
		return search_list(resolver->options->root, resolver->musl_path, name, "/");
	const char *cached = ld_so_cache_find(&resolver->cache, name);
	if (cached) {
		struct dynamic_info info;
		int status = read_dynamic_info(resolver->options->root, cached, &info);
		dynamic_info_free(&info);
		if (status == 0)
			return xstrdup(cached);
	}
	for (size_t i = 0; resolver->default_dirs[i]; i++) {
		char *found = search_list(resolver->options->root, resolver->default_dirs[i], name, "/");
		if (found)
			return found;
	}
	return NULL;
}

/* Where ld.so would find name for object, or NULL. */
static char *search(const struct resolver *resolver, size_t object, const char *name)
{
	if (strchr(name, '/')) {
		struct dynamic_info info;
		int status = read_dynamic_info(resolver->options->root, name, &info);
		dynamic_info_free(&info);
		return status == 0 ? xstrdup(name) : NULL;
	}
	char *found = search_rpaths(resolver, object, name);
	if (!found)
		found = search_list(resolver->options->root, resolver->options->library_path, name, "/");
	if (!found) {
		char *origin = origin_of(resolver, object);
		found = search_list(resolver->options->root, resolver->objects[object].info.runpath, name, origin);
		free(origin);
	}
	return found ? found : search_cache_and_defaults(resolver, name);
}

static bool already_loaded(const struct resolver *resolver, const char *soname, const char *real_path)
{
	if (resolver->musl_path && (!strcmp(soname, "libc.so") || !strncmp(soname, "libc.musl-", 10)))
		return true; /* musl's loader is libc */
	for (size_t i = 1; i < resolver->object_count; i++)
		if (strcmp(resolver->objects[i].soname, soname) == 0 ||
		    (resolver->objects[i].info.soname && strcmp(resolver->objects[i].info.soname, soname) == 0) ||
		    (real_path && strcmp(resolver->objects[i].real_path, real_path) == 0))
			return true;
	return false;
}

static int add_object(struct resolver *resolver, const char *path, size_t loader)
{
	char *real_path = rooted_realpath(resolver->options->root, path);
	struct loaded_object object = {.real_path = real_path ? real_path : xstrdup(path), .loader = loader};

	int status = read_dynamic_info(resolver->options->root, object.real_path, &object.info);
	if (status != 0) {
		snprintf(resolver->problem, resolver->problem_size, "%s: %s", path,
			 status < 0 ? strerror(errno) : "not an x86_64 ELF64 file");
		dynamic_info_free(&object.info);
		free(object.real_path);
		return -1;
	}
	resolver->objects = xrealloc(resolver->objects, (resolver->object_count + 1) * sizeof(*resolver->objects));
	resolver->objects[resolver->object_count++] = object;
	return 0;
}

static void note_missing(struct libdeps *deps, const char *soname, const char *needed_by)
{
	for (size_t i = 0; i < deps->missing_count; i++)
		if (strcmp(deps->missing[i].soname, soname) == 0)
			return;
	deps->missing = xrealloc(deps->missing, (deps->missing_count + 1) * sizeof(*deps->missing));
	deps->missing[deps->missing_count++] = (struct libdeps_missing){xstrdup(soname), xstrdup(needed_by)};
}

static void note_library(struct libdeps *deps, const char *soname, const char *path, const char *real_path,
			 size_t needed_by)
{
	deps->libraries = xrealloc(deps->libraries, (deps->library_count + 1) * sizeof(*deps->libraries));
	deps->libraries[deps->library_count++] = (struct libdeps_library){
		.soname = xstrdup(soname),
		.path = xstrdup(path),
		.real_path = xstrdup(real_path),
		.needed_by = needed_by,
	};
}

/* Breadth first, as ld.so loads: every DT_NEEDED of object i before those of i+1. */
static int resolve_needed(struct resolver *resolver, struct libdeps *deps)
{
	for (size_t object = 0; object < resolver->object_count; object++) {
		/* add_object may move resolver->objects: index afresh each time */
		for (size_t i = 0; i < resolver->objects[object].info.needed.count; i++) {
			const char *name = resolver->objects[object].info.needed.items[i];
			if (already_loaded(resolver, name, NULL))
				continue;
			char *path = search(resolver, object, name);
			if (!path) {
				note_missing(deps, name, resolver->objects[object].real_path);
				continue;
			}
			char *real_path = rooted_realpath(resolver->options->root, path);
			if (!already_loaded(resolver, name, real_path)) {
				if (add_object(resolver, path, object) != 0) {
					free(path);
					free(real_path);
					return -1;
				}
				struct loaded_object *added = &resolver->objects[resolver->object_count - 1];
				added->soname = xstrdup(name);
				note_library(deps, name, path, added->real_path, object);
			}
			free(path);
			free(real_path);
		}
	}
	return 0;
}

/* musl's loader reads its folders from /etc/ld-musl-ARCH.path (one per
 * line or ':'-separated), else uses /lib:/usr/local/lib:/usr/lib. */
static char *musl_search_path(const char *root)
{
	int fd = rooted_open(root, MUSL_PATH_FILE, O_RDONLY);
	FILE *file = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!file)
		return xstrdup("/lib:/usr/local/lib:/usr/lib");
	char line[1024];
	char *path = xstrdup("");
	while (fgets(line, sizeof line, file)) {
		line[strcspn(line, "\n")] = 0;
		char *joined = xasprintf("%s%s%s", path, *path && *line ? ":" : "", line);
		free(path);
		path = joined;
	}
	fclose(file);
	return path;
}

static void resolve_interpreter(struct resolver *resolver, struct libdeps *deps)
{
	const char *interpreter = resolver->objects[0].info.interpreter;
	if (!interpreter)
		return;
	deps->interpreter = xstrdup(interpreter);
	deps->interpreter_real_path = rooted_realpath(resolver->options->root, interpreter);
	if (!deps->interpreter_real_path)
		note_missing(deps, interpreter, resolver->objects[0].real_path);
	const char *name = strrchr(interpreter, '/');
	if (!strncmp(name ? name + 1 : interpreter, "ld-musl-", 8))
		resolver->musl_path = musl_search_path(resolver->options->root);
}

int libdeps_resolve(const char *binary, const struct libdeps_options *options, struct libdeps *deps,
		    char *problem, size_t problem_size)
{
	static const struct libdeps_options defaults = {0};
	struct resolver resolver = {
		.options = options ? options : &defaults,
		.problem = problem,
		.problem_size = problem_size,
	};
	*deps = (struct libdeps){0};
	elf_version(EV_CURRENT);
	resolver.default_dirs = resolver.options->default_dirs ? resolver.options->default_dirs
							       : multiarch_default_dirs;
	const char *cache_path = resolver.options->cache_path ? resolver.options->cache_path : "/etc/ld.so.cache";
	int status = 0;
	/* an image's cache is read where its symlinks lead inside the image */
	char *host_cache = *cache_path ? rooted_host_path(resolver.options->root, cache_path) : NULL;
	if (host_cache) {
		char cache_problem[256];
		status = ld_so_cache_load(host_cache, &resolver.cache, cache_problem, sizeof(cache_problem));
		if (status != 0)
			snprintf(problem, problem_size, "%s: %s", cache_path, cache_problem);
	}
	if (status == 0)
		status = add_object(&resolver, binary, 0);
	if (status == 0) {
		resolver.objects[0].soname = xstrdup(binary);
		resolve_interpreter(&resolver, deps);
		status = resolve_needed(&resolver, deps);
	}
	for (size_t i = 0; i < resolver.object_count; i++) {
		free(resolver.objects[i].real_path);
		free(resolver.objects[i].soname);
		dynamic_info_free(&resolver.objects[i].info);
	}
	free(resolver.objects);
	ld_so_cache_free(&resolver.cache);
	free(host_cache);
	free(resolver.musl_path);
	if (status != 0)
		libdeps_free(deps);
	return status;
}

void libdeps_free(struct libdeps *deps)
{
	for (size_t i = 0; i < deps->library_count; i++) {
		free(deps->libraries[i].soname);
		free(deps->libraries[i].path);
		free(deps->libraries[i].real_path);
	}
	for (size_t i = 0; i < deps->missing_count; i++) {
		free(deps->missing[i].soname);
		free(deps->missing[i].needed_by);
	}
	free(deps->libraries);
	free(deps->missing);
	free(deps->interpreter);
	free(deps->interpreter_real_path);
	*deps = (struct libdeps){0};
}
