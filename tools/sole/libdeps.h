/* The dependency resolver: which shared libraries a dynamic ELF loads, found
 * the way glibc's ld.so finds them (DT_NEEDED, recursively, through DT_RPATH,
 * LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache and the default folders),
 * without running anything. Used to pack the initrd and by `sole coverage`. */
#ifndef SOLE_LIBDEPS_H
#define SOLE_LIBDEPS_H

#include <stddef.h>

/* Where musl's dynamic linker reads its search folders. */
#define MUSL_PATH_FILE "/etc/ld-musl-x86_64.path"

struct libdeps_options {
	const char *library_path; /* LD_LIBRARY_PATH's value; NULL or "" for none */
	const char *cache_path;   /* NULL: /etc/ld.so.cache; "" : no cache */
	/* NULL-terminated folders searched last; NULL: the x86_64 multiarch
	 * defaults (/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib64,
	 * /usr/lib64, /lib, /usr/lib) */
	const char *const *default_dirs;
	/* An image folder (canonical) that is "/" for every path above, the
	 * binary's and those found; NULL: the host's own "/" */
	const char *root;
};

struct libdeps_library {
	char *soname;    /* the DT_NEEDED name that asked for it: "libc.so.6" */
	char *path;      /* where the search found it: "/lib/x86_64-linux-gnu/libc.so.6" */
	char *real_path; /* path with every symlink followed: the file to read or pack */
	size_t needed_by; /* index of the object that needs it: 0 the binary, i+1 libraries[i] */
};

/* One DT_NEEDED name that no folder held. */
struct libdeps_missing {
	char *soname;
	char *needed_by; /* path of the object that asked for it */
};

struct libdeps {
	char *interpreter;           /* PT_INTERP as written ("/lib64/ld-linux-x86-64.so.2"), NULL if static */
	char *interpreter_real_path; /* with symlinks followed; NULL if static or not found */
	struct libdeps_library *libraries; /* in ld.so's breadth-first load order, no duplicates */
	size_t library_count;
	struct libdeps_missing *missing;
	size_t missing_count;
};

/* Resolves every library binary needs. options may be NULL (the defaults).
 * Returns 0, with missing libraries listed in deps->missing (not an error:
 * the caller decides); or -1 with one line in problem when binary or a
 * library found is not a readable x86_64 ELF, or the cache is malformed. */
int libdeps_resolve(const char *binary, const struct libdeps_options *options, struct libdeps *deps,
		    char *problem, size_t problem_size);
void libdeps_free(struct libdeps *deps);

#endif
