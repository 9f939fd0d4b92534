/* Validation and reading of an x86_64 ELF executable's headers. Pure code
 * over bytes in memory: unit-tested on the host. */
#ifndef SOLE_ELF_H
#define SOLE_ELF_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_info {
	const Elf64_Ehdr *ehdr;
	const Elf64_Phdr *phdrs;
	unsigned phnum;
	bool position_independent; /* ET_DYN */
	const char *interp;        /* PT_INTERP's path, or NULL */
	uint64_t lowest_vaddr;     /* of the PT_LOADs, page-aligned down */
	uint64_t highest_vaddr;    /* end of the PT_LOADs' memory */
	uint64_t phdr_vaddr;       /* where the program headers are mapped, 0 if not */
};

/* Checks the headers of an image of file_size bytes, of which the first
 * avail bytes are at data (enough to hold the ELF and program headers).
 * On failure returns -1 and sets *error to a one-line explanation. */
int elf_parse(const void *data, size_t avail, uint64_t file_size, struct elf_info *out, const char **error);

#endif
