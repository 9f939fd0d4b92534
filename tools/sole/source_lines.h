/* Where an address lies in the source, from an ELF file's DWARF (libdw): the
 * function and line, and the functions inlined at that address. */
#ifndef SOLE_SOURCE_LINES_H
#define SOLE_SOURCE_LINES_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

struct source_location {
	char *function; /* NULL when DWARF does not name it */
	char *file;     /* NULL when there is no line information */
	int line;
};

/* Innermost first: items[0] is the function inlined deepest, the last one
 * is the function the code was compiled into. */
struct source_frames {
	struct source_location *items;
	size_t count;
};

struct source_lines;

/* NULL when the file has no DWARF debug information. elf must outlive it. */
struct source_lines *source_lines_open(Elf *elf);
/* Looks up a link-time address; frames is empty when DWARF does not cover it. */
void source_lines_lookup(struct source_lines *lines, uint64_t address, struct source_frames *frames);
void source_frames_free(struct source_frames *frames);
void source_lines_close(struct source_lines *lines);

#endif
