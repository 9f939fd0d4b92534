/* One ELF object read for the coverage analysis: its code sections, symbols,
 * GOT slots, the code addresses its data holds, and the function starts that
 * .eh_frame_hdr lists. Only libelf; no disassembly here. */
#include "binary_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define DW_EH_PE_OMIT 0xff
#define DW_EH_PE_DATAREL_SDATA4 0x3b

/* Grows *array by one element of element_size and returns the new element. */
static void *append(void *array_pointer, size_t *count, size_t element_size)
{
	void **array = array_pointer;
	*array = xrealloc(*array, (*count + 1) * element_size);
	return (char *)*array + (*count)++ * element_size;
}

static void read_sections(struct binary_image *image)
{
	size_t string_index;

	elf_getshdrstrndx(image->elf, &string_index);
	image->code_low = UINT64_MAX;
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(image->elf, scn));) {
		GElf_Shdr header;
		if (!gelf_getshdr(scn, &header) || !(header.sh_flags & SHF_ALLOC))
			continue;
		Elf_Data *data = header.sh_type == SHT_NOBITS ? NULL : elf_rawdata(scn, NULL);
		struct image_section *section = append(&image->sections, &image->section_count, sizeof(*section));
		*section = (struct image_section){
			.name = elf_strptr(image->elf, string_index, header.sh_name),
			.address = header.sh_addr,
			.size = header.sh_size,
			.bytes = data && data->d_size == header.sh_size ? data->d_buf : NULL,
			.executable = (header.sh_flags & SHF_EXECINSTR) != 0,
		};
		if (!section->name)
			section->name = "?";
		if (section->executable && section->bytes) {
			if (header.sh_addr < image->code_low)
				image->code_low = header.sh_addr;
			if (header.sh_addr + header.sh_size > image->code_high)
				image->code_high = header.sh_addr + header.sh_size;
		}
	}
}

static const struct image_section *section_at(const struct binary_image *image, uint64_t address)
{
	for (size_t i = 0; i < image->section_count; i++) {
		const struct image_section *section = &image->sections[i];
		if (address >= section->address && address - section->address < section->size)
			return section;
	}
	return NULL;
}

bool binary_image_has_bytes(const struct binary_image *image, uint64_t address)
{
	const struct image_section *section = section_at(image, address);
	return section && section->bytes;
}

bool binary_image_is_data(const struct binary_image *image, uint64_t address)
{
	const struct image_section *section = section_at(image, address);
	return section && !section->executable;
}

bool binary_image_is_code(const struct binary_image *image, uint64_t address)
{
	if (address < image->code_low || address >= image->code_high)
		return false;
	const struct image_section *section = section_at(image, address);
	return section && section->executable;
}

static void read_symbol_table(struct binary_image *image, Elf_Scn *scn, const GElf_Shdr *header)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = header->sh_entsize ? header->sh_size / header->sh_entsize : 0;
	bool dynamic = header->sh_type == SHT_DYNSYM;

	for (size_t i = 1; data && i < count; i++) {
		GElf_Sym symbol;
		if (!gelf_getsym(data, (int)i, &symbol))
			continue;
		int type = GELF_ST_TYPE(symbol.st_info), bind = GELF_ST_BIND(symbol.st_info);
		const char *name = elf_strptr(image->elf, header->sh_link, symbol.st_name);
		if (!name || !*name || type == STT_SECTION || type == STT_FILE || type == STT_TLS)
			continue;
		struct image_symbol *entry = append(&image->symbols, &image->symbol_count, sizeof(*entry));
		*entry = (struct image_symbol){
			.name = name,
			.address = symbol.st_value,
			.function = type == STT_FUNC || type == STT_GNU_IFUNC,
			.object = type == STT_OBJECT,
			.defined = symbol.st_shndx != SHN_UNDEF,
			.exported = dynamic && (bind == STB_GLOBAL || bind == STB_WEAK) &&
				    GELF_ST_VISIBILITY(symbol.st_other) == STV_DEFAULT,
		};
	}
}

static const char *relocation_symbol(Elf *elf, Elf_Data *symbols, size_t string_section, size_t index)
{
	GElf_Sym symbol;
	if (!symbols || index == 0 || !gelf_getsym(symbols, (int)index, &symbol))
		return NULL;
	return elf_strptr(elf, string_section, symbol.st_name);
}

static bool is_start_array(const struct image_section *section)
{
	return section && (strcmp(section->name, ".init_array") == 0 || strcmp(section->name, ".fini_array") == 0 ||
			   strcmp(section->name, ".preinit_array") == 0);
}

/* Files an address held in data at location as a code or data pointer;
 * code in the init and fini arrays runs at load, whoever refers to it. */
static void note_pointer(struct binary_image *image, uint64_t location, uint64_t target)
{
	const struct image_section *where = section_at(image, location);
	if (binary_image_is_code(image, target) && is_start_array(where))
		*(uint64_t *)append(&image->start_code, &image->start_code_count, sizeof(uint64_t)) = target;
	else if (binary_image_is_code(image, target))
		*(struct image_pointer *)append(&image->code_pointers, &image->code_pointer_count,
						sizeof(struct image_pointer)) = (struct image_pointer){location, target};
	else if (binary_image_is_data(image, target))
		*(struct image_pointer *)append(&image->data_pointers, &image->data_pointer_count,
						sizeof(struct image_pointer)) = (struct image_pointer){location, target};
}

static void note_relocation(struct binary_image *image, const GElf_Rela *rela, const char *symbol)
{
	uint64_t type = GELF_R_TYPE(rela->r_info);
	const struct image_section *target = section_at(image, rela->r_offset);
	bool in_got = target && strstr(target->name, ".got");

	switch (type) {
	case R_X86_64_RELATIVE:
		note_pointer(image, rela->r_offset, (uint64_t)rela->r_addend);
		break;
	case R_X86_64_IRELATIVE:
		if (binary_image_is_code(image, (uint64_t)rela->r_addend))
			*(uint64_t *)append(&image->start_code, &image->start_code_count, sizeof(uint64_t)) =
				(uint64_t)rela->r_addend;
		break;
	case R_X86_64_GLOB_DAT:
	case R_X86_64_JUMP_SLOT:
	case R_X86_64_64:
		if (!symbol || !*symbol)
			break;
		if (type != R_X86_64_64 || in_got)
			*(struct image_got_slot *)append(&image->got_slots, &image->got_slot_count,
							 sizeof(struct image_got_slot)) =
				(struct image_got_slot){rela->r_offset, symbol};
		else
			*(struct image_symbol_pointer *)append(&image->symbol_pointers, &image->symbol_pointer_count,
							       sizeof(struct image_symbol_pointer)) =
				(struct image_symbol_pointer){rela->r_offset, symbol};
		break;
	}
}

static void read_relocations(struct binary_image *image, Elf_Scn *scn, const GElf_Shdr *header)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	Elf_Scn *symbol_scn = elf_getscn(image->elf, header->sh_link);
	GElf_Shdr symbol_header;
	Elf_Data *symbols = NULL;
	size_t string_section = 0;
	if (symbol_scn && gelf_getshdr(symbol_scn, &symbol_header)) {
		symbols = elf_getdata(symbol_scn, NULL);
		string_section = symbol_header.sh_link;
	}
	size_t count = header->sh_entsize ? header->sh_size / header->sh_entsize : 0;
	for (size_t i = 0; data && i < count; i++) {
		GElf_Rela rela;
		if (gelf_getrela(data, (int)i, &rela))
			note_relocation(image, &rela,
					relocation_symbol(image->elf, symbols, string_section, GELF_R_SYM(rela.r_info)));
	}
}

/* A non-PIE executable's data holds absolute code addresses with no
 * relocation: every aligned word of its data that points into code counts. */
static void scan_absolute_pointers(struct binary_image *image)
{
	for (size_t i = 0; i < image->section_count; i++) {
		const struct image_section *section = &image->sections[i];
		if (section->executable || !section->bytes || strncmp(section->name, ".eh_frame", 9) == 0)
			continue;
		for (uint64_t at = (8 - section->address % 8) % 8; at + 8 <= section->size; at += 8) {
			uint64_t value;
			memcpy(&value, section->bytes + at, sizeof(value));
			if (value)
				note_pointer(image, section->address + at, value);
		}
	}
}

static int32_t read_s32(const uint8_t *p)
{
	int32_t value;
	memcpy(&value, p, sizeof(value));
	return value;
}

/* .eh_frame_hdr's search table: one (start, FDE) pair per function, in the
 * encoding every GNU linker writes (datarel, sdata4). */
static void read_unwind_starts(struct binary_image *image)
{
	const struct image_section *header = NULL;
	for (size_t i = 0; i < image->section_count; i++)
		if (strcmp(image->sections[i].name, ".eh_frame_hdr") == 0)
			header = &image->sections[i];
	if (!header || !header->bytes || header->size < 12 || header->bytes[0] != 1 ||
	    header->bytes[2] == DW_EH_PE_OMIT || header->bytes[3] != DW_EH_PE_DATAREL_SDATA4 ||
	    (header->bytes[1] & 0x0f) != 0x0b || (header->bytes[2] & 0x0f) != 0x03)
		return;
	uint32_t count = (uint32_t)read_s32(header->bytes + 8);
	if (count > (header->size - 12) / 8)
		return;
	image->unwind_starts = xcalloc(count ? count : 1, sizeof(uint64_t));
	for (uint32_t i = 0; i < count; i++)
		image->unwind_starts[i] = header->address + (uint64_t)(int64_t)read_s32(header->bytes + 12 + 8 * i);
	image->unwind_start_count = count;
}

static int compare_got_slots(const void *a, const void *b)
{
	uint64_t x = ((const struct image_got_slot *)a)->address, y = ((const struct image_got_slot *)b)->address;
	return x < y ? -1 : x > y;
}

const char *binary_image_got_symbol(const struct binary_image *image, uint64_t address)
{
	size_t low = 0, high = image->got_slot_count;
	while (low < high) {
		size_t middle = (low + high) / 2;
		if (image->got_slots[middle].address < address)
			low = middle + 1;
		else
			high = middle;
	}
	return low < image->got_slot_count && image->got_slots[low].address == address ? image->got_slots[low].symbol
										       : NULL;
}

static void read_tables(struct binary_image *image)
{
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(image->elf, scn));) {
		GElf_Shdr header;
		if (!gelf_getshdr(scn, &header))
			continue;
		if (header.sh_type == SHT_SYMTAB || header.sh_type == SHT_DYNSYM)
			read_symbol_table(image, scn, &header);
		else if (header.sh_type == SHT_RELA)
			read_relocations(image, scn, &header);
		else if (header.sh_type == SHT_DYNAMIC)
			image->dynamic = true;
	}
	if (image->got_slot_count)
		qsort(image->got_slots, image->got_slot_count, sizeof(*image->got_slots), compare_got_slots);
}

int binary_image_open(const char *path, struct binary_image *image, char *problem, size_t problem_size)
{
	GElf_Ehdr header;
	size_t program_headers = 0;

	*image = (struct binary_image){.path = xstrdup(path), .fd = open(path, O_RDONLY | O_CLOEXEC)};
	elf_version(EV_CURRENT);
	if (image->fd < 0) {
		snprintf(problem, problem_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	image->elf = elf_begin(image->fd, ELF_C_READ_MMAP, NULL);
	if (!image->elf || elf_kind(image->elf) != ELF_K_ELF || !gelf_getehdr(image->elf, &header) ||
	    header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != EM_X86_64 ||
	    (header.e_type != ET_EXEC && header.e_type != ET_DYN)) {
		snprintf(problem, problem_size, "%s: not an x86_64 ELF64 executable or shared library", path);
		return -1;
	}
	image->type = header.e_type;
	image->entry = header.e_entry;
	if (elf_getphdrnum(image->elf, &program_headers) != 0)
		program_headers = 0; /* libelf may have set PN_XNUM's count of up to 2^32 */
	for (size_t i = 0; i < program_headers; i++) {
		GElf_Phdr phdr;
		if (gelf_getphdr(image->elf, (int)i, &phdr) && phdr.p_type == PT_INTERP)
			image->has_interpreter = true;
	}
	read_sections(image);
	if (image->code_low == UINT64_MAX) {
		snprintf(problem, problem_size, "%s: no code sections (a stripped section table?)", path);
		return -1;
	}
	read_tables(image);
	if (image->type == ET_EXEC)
		scan_absolute_pointers(image);
	read_unwind_starts(image);
	return 0;
}

void binary_image_close(struct binary_image *image)
{
	free(image->sections);
	free(image->symbols);
	free(image->got_slots);
	free(image->code_pointers);
	free(image->data_pointers);
	free(image->symbol_pointers);
	free(image->start_code);
	free(image->unwind_starts);
	if (image->elf)
		elf_end(image->elf);
	if (image->path && image->fd >= 0)
		close(image->fd);
	free(image->path);
	*image = (struct binary_image){.fd = -1};
}
