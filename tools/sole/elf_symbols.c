/* The function symbols of an ELF file (its .symtab, else .dynsym), sorted by
 * address, to name the addresses of a crash report. */
#include "elf_symbols.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static bool is_code_symbol(const GElf_Sym *symbol)
{
	int type = GELF_ST_TYPE(symbol->st_info);
	return (type == STT_FUNC || type == STT_NOTYPE) && symbol->st_shndx != SHN_UNDEF &&
	       symbol->st_shndx < SHN_LORESERVE && symbol->st_value != 0;
}

static void add_symbols_of_section(struct elf_symbols *table, Elf *elf, Elf_Scn *section,
				   const GElf_Shdr *header)
{
	Elf_Data *data = elf_getdata(section, NULL);
	/* from the bytes libelf read, not the header's sh_size: the table is
	 * sized before a symbol is read */
	size_t count = data && header->sh_entsize ? data->d_size / header->sh_entsize : 0;
	GElf_Sym symbol;

	table->symbols = xrealloc(table->symbols, (table->count + count) * sizeof(*table->symbols));
	for (size_t i = 0; data && i < count; i++) {
		if (!gelf_getsym(data, (int)i, &symbol) || !is_code_symbol(&symbol))
			continue;
		const char *name = elf_strptr(elf, header->sh_link, symbol.st_name);
		if (!name || !*name)
			continue;
		table->symbols[table->count++] = (struct elf_symbol){
			.address = symbol.st_value, .size = symbol.st_size, .name = xstrdup(name)};
	}
}

/* Reads .symtab, or .dynsym when the file was stripped. */
static void read_symbols(struct elf_symbols *table, Elf *elf)
{
	Elf_Scn *chosen = NULL;
	GElf_Shdr header, chosen_header = {0};

	for (Elf_Scn *section = elf_nextscn(elf, NULL); section; section = elf_nextscn(elf, section)) {
		if (!gelf_getshdr(section, &header))
			continue;
		if (header.sh_type == SHT_SYMTAB || (header.sh_type == SHT_DYNSYM && !chosen)) {
			chosen = section;
			chosen_header = header;
		}
	}
	if (chosen)
		add_symbols_of_section(table, elf, chosen, &chosen_header);
}

static void read_load_span(struct elf_symbols *table, Elf *elf)
{
	size_t count = 0;
	GElf_Phdr segment;

	table->lowest_address = UINT64_MAX;
	/* on failure count may still be set, to PN_XNUM's count of up to 2^32 */
	if (elf_getphdrnum(elf, &count) != 0)
		return;
	for (size_t i = 0; i < count; i++) {
		if (!gelf_getphdr(elf, (int)i, &segment) || segment.p_type != PT_LOAD)
			continue;
		if (segment.p_vaddr < table->lowest_address)
			table->lowest_address = segment.p_vaddr;
		if (segment.p_vaddr + segment.p_memsz > table->highest_address)
			table->highest_address = segment.p_vaddr + segment.p_memsz;
	}
}

static int compare_symbols(const void *left, const void *right)
{
	const struct elf_symbol *a = left, *b = right;
	return a->address < b->address ? -1 : a->address > b->address;
}

struct elf_symbols *elf_symbols_read(Elf *elf)
{
	GElf_Ehdr header;

	if (!elf || !gelf_getehdr(elf, &header))
		return NULL;
	struct elf_symbols *table = xcalloc(1, sizeof(*table));
	table->position_independent = header.e_type == ET_DYN;
	read_load_span(table, elf);
	read_symbols(table, elf);
	if (table->count)
		qsort(table->symbols, table->count, sizeof(*table->symbols), compare_symbols);
	return table;
}

const struct elf_symbol *elf_symbols_find(const struct elf_symbols *table, uint64_t address)
{
	size_t low = 0, high = table->count; /* find the last symbol at or below address */

	if (address < table->lowest_address || address >= table->highest_address)
		return NULL;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (table->symbols[middle].address <= address)
			low = middle + 1;
		else
			high = middle;
	}
	if (low == 0)
		return NULL;
	const struct elf_symbol *symbol = &table->symbols[low - 1];
	if (symbol->size && address - symbol->address >= symbol->size)
		return NULL;
	return symbol;
}

void elf_symbols_free(struct elf_symbols *table)
{
	if (!table)
		return;
	for (size_t i = 0; i < table->count; i++)
		free(table->symbols[i].name);
	free(table->symbols);
	free(table);
}
