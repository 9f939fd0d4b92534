/* Fuzz target: how the host tool reads an app's ELF file before booting it:
 * the runnable check (tools/sole/elf_check.c), the library resolver
 * (tools/sole/libdeps.c: PT_INTERP, the dynamic section's DT_NEEDED,
 * DT_RPATH and DT_RUNPATH, searched recursively) and the symbol table read
 * for crash reports (tools/sole/elf_symbols.c). The input is the app. It
 * sits in a scratch image folder (libdeps' root), where /lib/libc.so.6
 * leads back to it, so that a DT_NEEDED libc.so.6 loads the input again. */
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_check.h"
#include "elf_symbols.h"
#include "libdeps.h"
#include "scratch_dir.h"

static void make_image_folder(void)
{
	static int made;
	if (made)
		return;
	char lib[4200];
	snprintf(lib, sizeof lib, "%s/lib", scratch_dir());
	if (mkdir(lib, 0755) != 0 || symlink("/app", strcat(lib, "/libc.so.6")) != 0) {
		perror("fuzz: cannot make the image folder");
		abort();
	}
	made = 1;
}

static void resolve_libraries(void)
{
	static const char *const lib_only[] = {"/lib", NULL};
	struct libdeps_options options = {.cache_path = "", .default_dirs = lib_only, .root = scratch_dir()};
	struct libdeps deps;
	char problem[256];
	if (libdeps_resolve("/app", &options, &deps, problem, sizeof problem) == 0)
		libdeps_free(&deps);
}

static void read_symbols(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	Elf *elf = elf_memory(copy, size);
	struct elf_symbols *symbols = elf_symbols_read(elf);
	if (symbols) {
		elf_symbols_find(symbols, symbols->lowest_address);
		elf_symbols_free(symbols);
	}
	elf_end(elf);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	make_image_folder();
	const char *app = scratch_write("app", data, size);
	char problem[256];
	elf_check_runnable(app, problem, sizeof problem);
	resolve_libraries();
	read_symbols(data, size);
	return 0;
}
