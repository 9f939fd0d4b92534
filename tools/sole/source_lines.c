/* Where an address lies in the source, from an ELF file's DWARF, see
 * source_lines.h. */
#include "source_lines.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>

#include "xalloc.h"

struct source_lines {
	Dwarf *dwarf;
};

struct source_lines *source_lines_open(Elf *elf)
{
	Dwarf *dwarf = dwarf_begin_elf(elf, DWARF_C_READ, NULL);

	if (!dwarf)
		return NULL;
	struct source_lines *lines = xcalloc(1, sizeof(*lines));
	lines->dwarf = dwarf;
	return lines;
}

/* The name of a function or of an inlined copy, which names it through its
 * abstract origin. */
static const char *function_name(Dwarf_Die *die)
{
	Dwarf_Attribute attribute;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attribute));
}

static void add_frame(struct source_frames *frames, const char *function, const char *file, int line)
{
	frames->items = xrealloc(frames->items, (frames->count + 1) * sizeof(*frames->items));
	frames->items[frames->count++] = (struct source_location){
		.function = function ? xstrdup(function) : NULL,
		.file = file ? xstrdup(file) : NULL,
		.line = line,
	};
}

/* An inlined copy's call site: the place in its caller that it stands for. */
static void call_site(Dwarf_Die *inlined, Dwarf_Files *files, const char **file, int *line)
{
	Dwarf_Attribute attribute;
	Dwarf_Word value;

	if (files && dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attribute), &value) == 0)
		*file = dwarf_filesrc(files, value, NULL, NULL);
	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attribute), &value) == 0)
		*line = (int)value;
}

void source_lines_lookup(struct source_lines *lines, uint64_t address, struct source_frames *frames)
{
	Dwarf_Die unit, *scopes = NULL;
	Dwarf_Files *files = NULL;
	size_t file_count;
	int line = 0;

	*frames = (struct source_frames){0};
	if (!lines || !dwarf_addrdie(lines->dwarf, address, &unit))
		return;
	Dwarf_Line *row = dwarf_getsrc_die(&unit, address);
	const char *file = row ? dwarf_linesrc(row, NULL, NULL) : NULL;
	if (row)
		dwarf_lineno(row, &line);
	if (dwarf_getsrcfiles(&unit, &files, &file_count) != 0)
		files = NULL;
	int scope_count = dwarf_getscopes(&unit, address, &scopes);
	for (int i = 0; i < scope_count; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		add_frame(frames, function_name(&scopes[i]), file, line);
		if (tag == DW_TAG_subprogram)
			break;
		call_site(&scopes[i], files, &file, &line);
	}
	free(scopes);
	if (frames->count == 0 && file)
		add_frame(frames, NULL, file, line);
}

void source_frames_free(struct source_frames *frames)
{
	for (size_t i = 0; i < frames->count; i++) {
		free(frames->items[i].function);
		free(frames->items[i].file);
	}
	free(frames->items);
	*frames = (struct source_frames){0};
}

void source_lines_close(struct source_lines *lines)
{
	if (!lines)
		return;
	dwarf_end(lines->dwarf);
	free(lines);
}
