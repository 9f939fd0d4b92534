/* The static answer to "which syscalls can this program make": the binary,
 * every library the resolver finds and the dynamic loader, joined through
 * their imports into one call graph and walked from what runs (the entry
 * point, initialisers, functions whose address data holds, all of ld.so). */
#ifndef SOLE_COVERAGE_COVERAGE_ANALYSIS_H
#define SOLE_COVERAGE_COVERAGE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdeps.h"
#include "program_paths.h"
#include "syscall_set.h"

/* What one imported function can lead to. */
struct import_needs {
	const char *name;
	const char *library; /* display name of the object defining it; NULL when none does */
	struct syscall_set syscalls;
};

/* A syscall whose number the analysis could not tell, in code that can run. */
struct coverage_unknown {
	const char *object;   /* display name */
	const char *function; /* a symbol, or NULL */
	uint64_t function_start;
	uint64_t address;
};

struct coverage_object {
	char *path;         /* the file read (symlinks followed) */
	const char *name;   /* soname, or the binary's path as given */
	size_t instructions;
	size_t functions;
	size_t reachable_functions;
};

struct coverage_analysis {
	const char *binary; /* as given */
	bool dynamic;       /* has PT_INTERP */
	bool position_independent;
	struct libdeps deps;
	struct coverage_object *objects; /* binary, libraries, then the loader */
	size_t object_count;
	struct syscall_set needed;       /* everything below, joined */
	struct syscall_set from_binary;  /* the binary's own code, imports aside */
	struct syscall_set from_loader;  /* ld.so, all of it */
	struct syscall_set from_library_start; /* library initialisers and code their data points to */
	struct import_needs *imports;    /* the binary's imports, by name */
	size_t import_count;
	struct coverage_unknown *unknown;
	size_t unknown_count;
	struct program_paths programs; /* absolute program paths in the binary's read-only data */
	double seconds;
};

/* Analyses binary. Returns 0, or -1 with one line in problem. */
int coverage_analyze(const char *binary, struct coverage_analysis *analysis, char *problem, size_t problem_size);
void coverage_analysis_free(struct coverage_analysis *analysis);

#endif
