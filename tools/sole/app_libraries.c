/* Packs a dynamic binary's interpreter and shared libraries, see
 * app_libraries.h. */
#include "app_libraries.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "exit_codes.h"
#include "libdeps.h"

/* The app's LD_LIBRARY_PATH (from -e) steers the search as it will steer
 * ld.so in the guest. */
static const char *library_path_of(const struct run_options *options)
{
	for (size_t i = 0; i < options->env.count; i++)
		if (strncmp(options->env.items[i], "LD_LIBRARY_PATH=", 16) == 0)
			return options->env.items[i] + 16;
	return NULL;
}

/* glibc loads libgcc_s with dlopen to unwind a thread that calls
 * pthread_exit or is cancelled (and for backtrace); no DT_NEEDED names it,
 * so the search never finds it. Debian keeps it here. */
#define GLIBC_UNWINDER "/lib/x86_64-linux-gnu/libgcc_s.so.1"

static bool uses_glibc(const struct libdeps *deps)
{
	for (size_t i = 0; i < deps->library_count; i++)
		if (strcmp(deps->libraries[i].soname, "libc.so.6") == 0)
			return true;
	return false;
}

static void add_host_file(struct cpio_archive *archive, const char *guest_path, const char *host_path)
{
	struct stat info;
	if (stat(host_path, &info) == 0)
		cpio_add_host_file(archive, guest_path, info.st_mode, info.st_mtime, host_path);
}

/* A problem with the app itself stops the run; one with another program
 * placed in the VM (/bin/sh, an executable given with --copy) only warns,
 * since the app may never run it. */
static void report(bool required, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(bool required, const char *fmt, ...)
{
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	if (required)
		sole_error("%s", message);
	else
		sole_warning("%s", message);
}

static void report_missing(const struct libdeps *deps, const char *as_typed, bool required)
{
	for (size_t i = 0; i < deps->missing_count; i++)
		report(required,
		       "%s: needs %s (for %s), which is not on this machine: install the package that has it, "
		       "or add it with --copy HOSTFILE:/usr/lib/x86_64-linux-gnu/%s",
		       as_typed, deps->missing[i].soname, deps->missing[i].needed_by, deps->missing[i].soname);
}

int app_libraries_add(struct cpio_archive *archive, const char *host_path, const char *as_typed,
                      const struct run_options *options, bool required)
{
	struct libdeps_options search = {.library_path = library_path_of(options)};
	struct libdeps deps;
	char problem[512];
	int status = 0;

	if (libdeps_resolve(host_path, &search, &deps, problem, sizeof problem) != 0) {
		report(required, "%s: %s", as_typed, problem);
		return required ? EXIT_NOT_RUNNABLE : 0;
	}
	if (deps.interpreter && !deps.interpreter_real_path) {
		report(required,
		       "%s: its ELF interpreter %s is not on this machine; install its C library (for glibc: "
		       "libc6), or --copy it",
		       as_typed, deps.interpreter);
		status = required ? EXIT_NOT_RUNNABLE : 0;
	} else if (deps.missing_count) {
		report_missing(&deps, as_typed, required);
		status = required ? EXIT_NOT_RUNNABLE : 0;
	} else {
		if (deps.interpreter)
			add_host_file(archive, deps.interpreter, deps.interpreter_real_path);
		if (deps.interpreter && strstr(deps.interpreter, "/ld-musl-"))
			add_host_file(archive, MUSL_PATH_FILE, MUSL_PATH_FILE); /* musl's loader reads it */
		for (size_t i = 0; i < deps.library_count; i++)
			add_host_file(archive, deps.libraries[i].path, deps.libraries[i].real_path);
		if (uses_glibc(&deps))
			add_host_file(archive, GLIBC_UNWINDER, GLIBC_UNWINDER);
	}
	libdeps_free(&deps);
	return status;
}

int app_libraries_check_in_root(const struct run_options *options, const char *guest_path, const char *as_typed)
{
	struct libdeps_options search = {.library_path = library_path_of(options), .root = options->rootfs};
	struct libdeps deps;
	char problem[512];

	if (libdeps_resolve(guest_path, &search, &deps, problem, sizeof problem) != 0) {
		sole_error("%s: %s", as_typed, problem);
		return EXIT_NOT_RUNNABLE;
	}
	int status = 0;
	if (deps.interpreter && !deps.interpreter_real_path) {
		sole_error("%s: its ELF interpreter %s is not in the image %s", as_typed, deps.interpreter,
		           options->rootfs);
		status = EXIT_NOT_FOUND;
	}
	for (size_t i = 0; i < deps.missing_count && !status; i++) {
		sole_error("%s: needs %s (for %s), which is not in the image %s: add it to the image's "
		           "/usr/lib/x86_64-linux-gnu",
		           as_typed, deps.missing[i].soname, deps.missing[i].needed_by, options->rootfs);
		if (i + 1 == deps.missing_count)
			status = EXIT_NOT_FOUND;
	}
	libdeps_free(&deps);
	return status;
}

bool app_libraries_is_program(const char *host_path)
{
	struct stat info;
	if (stat(host_path, &info) != 0 || !S_ISREG(info.st_mode) || !(info.st_mode & 0111))
		return false;
	FILE *f = fopen(host_path, "rb");
	if (!f)
		return false;
	char magic[4];
	bool elf = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic,
	                                                                      "\x7f"
	                                                                      "ELF",
	                                                                      4) == 0;
	fclose(f);
	return elf;
}
