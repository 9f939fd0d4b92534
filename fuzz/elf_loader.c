/* Fuzz target: the kernel ELF loader's header checks (loader/elf.c), which
 * read the app's and the interpreter's headers before anything is mapped.
 * The input is the start of a file; its first 8 bytes, when there are
 * more, say how long the whole file claims to be (the loader reads only
 * the first page or so of a file it knows the size of). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"

/* What the target read, kept so that the reads are not optimized away. */
static volatile size_t sink;

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
	void *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct elf_info info;
	const char *error;
	if (elf_parse(copy, size, file_size, &info, &error) == 0) {
		for (unsigned i = 0; i < info.phnum; i++)
			sink += info.phdrs[i].p_type;
		if (info.interp)
			sink += strlen(info.interp);
	} else {
		sink += strlen(error);
	}
	free(copy);
	return 0;
}
