/* The ELF files of a crash, found on the host: the kernel and each file the
 * app had mapped, with the bias each was loaded at, its symbols, its line
 * information and its unwind tables; and the memory they rebuild. */
#ifndef SOLE_CRASH_OBJECTS_H
#define SOLE_CRASH_OBJECTS_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>

#include "cfi_tables.h"
#include "crash_memory.h"
#include "crash_record.h"
#include "elf_symbols.h"
#include "source_lines.h"

#define KERNEL_SPACE_START UINT64_C(0xffff800000000000)

/* Where the host finds the files the guest ran. A mapped file that is none
 * of these is looked for at its guest path on the host (shared libraries
 * come from the host's own folders). */
struct crash_context {
	const char *kernel_elf;
	const char *app_host_path;
	const char *app_guest_path;
};

struct crash_object {
	const char *guest_path; /* the map lines' path, or "the kernel" */
	char *host_path;        /* NULL when the file is not on the host */
	bool kernel;
	uint64_t start, end; /* the runtime span of its mappings */
	uint64_t bias;       /* runtime address minus link-time address */
	int fd;
	Elf *elf;
	struct elf_symbols *symbols;
	struct source_lines *lines;
	struct cfi_tables cfi;
};

struct crash_objects {
	struct crash_object *items;
	size_t count;
	struct crash_memory memory; /* the recorded stack first, then the files' segments */
	const struct crash_record *record;
};

void crash_objects_load(struct crash_objects *objects, const struct crash_record *record,
			const struct crash_context *context);
/* The object whose mappings hold address, or NULL. */
const struct crash_object *crash_objects_find(const struct crash_objects *objects, uint64_t address);
/* True for an address in executable memory: an r-x map, or the kernel's text. */
bool crash_objects_is_code(const struct crash_objects *objects, uint64_t address);
void crash_objects_free(struct crash_objects *objects);

#endif
