/* Fuzz target: the kernel loader's checks of a file's head before anything
 * is mapped: the "#!" line (loader/script.c) or the ELF headers
 * (loader/elf.c), of the app and of its interpreter. The input is the start
 * of a file; its first 8 bytes, when there are more, say how long the whole
 * file claims to be (the loader reads only the first page or so of a file
 * it knows the size of). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "loader/script.h"

/* What the target read, kept so that the reads are not optimized away. */
static volatile size_t sink;

static void check_elf(const void *head, size_t size, uint64_t file_size)
{
	struct elf_info info;
	const char *error;
	if (elf_parse(head, size, file_size, &info, &error) == 0) {
		for (unsigned i = 0; i < info.phnum; i++)
			sink += info.phdrs[i].p_type;
		if (info.interp)
			sink += strlen(info.interp);
	} else {
		sink += strlen(error);
	}
}

static void check_script(const char *head, size_t size)
{
	struct script_line line;
	if (script_parse(head, size, &line) == 0)
		sink += strlen(line.interpreter) + strlen(line.argument);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t file_size = size;
	if (size > 8) {
		memcpy(&file_size, data, 8);
		data += 8;
		size -= 8;
		if (file_size < size)
			file_size = size;
	}
	/* an 8-byte aligned copy of exactly size bytes, as the loader's buffer is */
	char *head = malloc(size ? size : 1);
	memcpy(head, data, size);
	if (script_is_script(head, size))
		check_script(head, size);
	else
		check_elf(head, size, file_size);
	free(head);
	return 0;
}
