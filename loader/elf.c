/* ELF header checks, see elf.h. Every rejection names the problem, since
 * the text reaches the user. */
#include "loader/elf.h"

#define PAGE_SIZE_ELF 4096ull

static int fail(const char **error, const char *why)
{
	*error = why;
	return -1;
}

static int check_header(const Elf64_Ehdr *h, size_t avail, const char **error)
{
	if (avail < 4 || h->e_ident[EI_MAG0] != ELFMAG0 || h->e_ident[EI_MAG1] != ELFMAG1 ||
	    h->e_ident[EI_MAG2] != ELFMAG2 || h->e_ident[EI_MAG3] != ELFMAG3)
		return fail(error, "not an ELF file (bad magic)");
	if (avail < sizeof *h)
		return fail(error, "truncated ELF: the file is shorter than an ELF header");
	if (h->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(error, "not a 64-bit ELF (ELFCLASS32)");
	if (h->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(error, "not a little-endian ELF");
	if (h->e_machine != EM_X86_64)
		return fail(error, "not an x86_64 ELF (wrong machine)");
	if (h->e_type != ET_EXEC && h->e_type != ET_DYN)
		return fail(error, "not an executable ELF (neither ET_EXEC nor ET_DYN)");
	if (h->e_phentsize != sizeof(Elf64_Phdr) || h->e_phnum == 0)
		return fail(error, "ELF without program headers");
	return 0;
}

int elf_parse(const void *data, size_t avail, uint64_t file_size, struct elf_info *out, const char **error)
{
	const Elf64_Ehdr *h = data;
	if (check_header(h, avail, error))
		return -1;
	uint64_t ph_end = h->e_phoff + (uint64_t)h->e_phnum * sizeof(Elf64_Phdr);
	if (h->e_phoff > file_size || ph_end > file_size || ph_end < h->e_phoff)
		return fail(error, "truncated ELF: program headers lie beyond the end of the file");
	if (ph_end > avail)
		return fail(error, "ELF program headers too far into the file");
	if (h->e_phoff % 8)
		return fail(error, "malformed ELF: misaligned program headers");

	*out = (struct elf_info){.ehdr = h, .phdrs = (const Elf64_Phdr *)((const char *)data + h->e_phoff),
				 .phnum = h->e_phnum, .position_independent = h->e_type == ET_DYN,
				 .lowest_vaddr = UINT64_MAX};
	bool entry_ok = false;
	for (unsigned i = 0; i < out->phnum; i++) {
		const Elf64_Phdr *p = &out->phdrs[i];
		if (p->p_type == PT_INTERP) {
			if (p->p_offset > avail || p->p_filesz > avail - p->p_offset || p->p_filesz == 0 ||
			    ((const char *)data)[p->p_offset + p->p_filesz - 1] != 0)
				return fail(error, "malformed PT_INTERP");
			out->interp = (const char *)data + p->p_offset;
		} else if (p->p_type == PT_PHDR) {
			out->phdr_vaddr = p->p_vaddr;
		}
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_offset + p->p_filesz > file_size || p->p_offset + p->p_filesz < p->p_offset)
			return fail(error, "truncated ELF: a segment ends beyond the end of the file");
		if (p->p_filesz > p->p_memsz)
			return fail(error, "malformed ELF: a segment's file size exceeds its memory size");
		if (p->p_vaddr + p->p_memsz < p->p_vaddr || p->p_vaddr + p->p_memsz > 0x7ff000000000ull)
			return fail(error, "malformed ELF: a segment lies outside the user address range");
		if ((p->p_vaddr - p->p_offset) % PAGE_SIZE_ELF)
			return fail(error, "malformed ELF: a segment's address and offset disagree modulo the page size");
		uint64_t low = p->p_vaddr & ~(PAGE_SIZE_ELF - 1);
		if (low < out->lowest_vaddr)
			out->lowest_vaddr = low;
		if (p->p_vaddr + p->p_memsz > out->highest_vaddr)
			out->highest_vaddr = p->p_vaddr + p->p_memsz;
		if ((p->p_flags & PF_X) && h->e_entry >= p->p_vaddr && h->e_entry < p->p_vaddr + p->p_memsz)
			entry_ok = true;
		/* Without PT_PHDR the headers are found inside the segment that
		 * maps file offset e_phoff. */
		if (!out->phdr_vaddr && h->e_phoff >= p->p_offset && ph_end <= p->p_offset + p->p_filesz)
			out->phdr_vaddr = p->p_vaddr + (h->e_phoff - p->p_offset);
	}
	if (out->lowest_vaddr == UINT64_MAX)
		return fail(error, "ELF without a loadable segment");
	if (!entry_ok)
		return fail(error, "malformed ELF: the entry point is not in an executable segment");
	return 0;
}
