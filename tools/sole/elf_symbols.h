/* The function symbols of an ELF file (its .symtab, else .dynsym), sorted by
 * address, to name the addresses of a crash report. */
#ifndef SOLE_ELF_SYMBOLS_H
#define SOLE_ELF_SYMBOLS_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_symbol {
	uint64_t address;
	uint64_t size; /* 0 for assembly labels of unknown size */
	char *name;
};

struct elf_symbols {
	bool position_independent; /* ET_DYN: addresses are relative to a load base */
	uint64_t lowest_address;   /* the span of the PT_LOAD segments */
	uint64_t highest_address;
	struct elf_symbol *symbols;
	size_t count;
};

/* NULL when elf is NULL or not an ELF. */
struct elf_symbols *elf_symbols_read(Elf *elf);
/* The symbol containing address (unrelocated), or NULL. */
const struct elf_symbol *elf_symbols_find(const struct elf_symbols *table, uint64_t address);
void elf_symbols_free(struct elf_symbols *table);

#endif
