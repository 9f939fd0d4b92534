/* Checks, before booting, that a file is an ELF that sole can run: x86_64,
 * 64-bit, little endian, static, with sane program headers and entry point. */
#include "elf_check.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_codes.h"

/* The file being checked and where the first problem found is written. */
struct elf_file {
	int fd;
	Elf *elf;
	uint64_t size;
	char *problem;
	size_t problem_size;
};

static bool fail(struct elf_file *file, const char *format, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct elf_file *file, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(file->problem, file->problem_size, format, args);
	va_end(args);
	return false;
}

static const char *machine_name(unsigned machine)
{
	static const struct {
		unsigned machine;
		const char *name;
	} names[] = {
		{EM_386, "EM_386"},     {EM_ARM, "EM_ARM"},     {EM_AARCH64, "EM_AARCH64"},
		{EM_RISCV, "EM_RISCV"}, {EM_PPC, "EM_PPC"},     {EM_PPC64, "EM_PPC64"},
		{EM_S390, "EM_S390"},   {EM_MIPS, "EM_MIPS"},   {EM_SPARCV9, "EM_SPARCV9"},
		{EM_IA_64, "EM_IA_64"}, {EM_LOONGARCH, "EM_LOONGARCH"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i].machine == machine)
			return names[i].name;
	return "unknown machine";
}

static bool check_identity(struct elf_file *file, GElf_Ehdr *header)
{
	char start[2] = {0};

	if (elf_kind(file->elf) != ELF_K_ELF) {
		if (file->size == 0)
			return fail(file, "an empty file, not an ELF binary");
		if (pread(file->fd, start, 2, 0) == 2 && start[0] == '#' && start[1] == '!')
			return fail(file, "a script, not an ELF binary; run its interpreter with the "
					  "script copied in (--copy SCRIPT)");
		return fail(file, "not an ELF binary");
	}
	if (!gelf_getehdr(file->elf, header))
		return fail(file, "truncated ELF: the file's %llu bytes do not hold an ELF header",
			    (unsigned long long)file->size);
	if (header->e_machine != EM_X86_64)
		return fail(file, "not an x86_64 ELF (machine %u, %s)", header->e_machine,
			    machine_name(header->e_machine));
	if (header->e_ident[EI_CLASS] != ELFCLASS64)
		return fail(file, "a 32-bit ELF (x32 ABI); sole runs 64-bit x86_64 binaries");
	if (header->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(file, "a big-endian ELF; x86_64 binaries are little endian");
	if (header->e_type == ET_REL)
		return fail(file, "an object file (ET_REL), not an executable; link it first");
	if (header->e_type == ET_CORE)
		return fail(file, "a core dump (ET_CORE), not an executable");
	if (header->e_type != ET_EXEC && header->e_type != ET_DYN)
		return fail(file, "not an executable ELF (type %u)", header->e_type);
	return true;
}

static bool check_program_header_table(struct elf_file *file, const GElf_Ehdr *header, size_t *count)
{
	if (elf_getphdrnum(file->elf, count) != 0 || *count == 0)
		return fail(file, "no program headers: not a linked executable");
	if (header->e_phentsize != sizeof(Elf64_Phdr))
		return fail(file, "malformed ELF: program header size %u, expected %zu",
			    header->e_phentsize, sizeof(Elf64_Phdr));
	/* libelf trims the count to what the file holds; the header says what it should hold */
	size_t declared = header->e_phnum == PN_XNUM ? *count : header->e_phnum;
	uint64_t end = header->e_phoff + (uint64_t)declared * header->e_phentsize;
	if (header->e_phoff > file->size || end > file->size)
		return fail(file, "truncated ELF: program headers end at 0x%llx beyond the file's 0x%llx bytes",
			    (unsigned long long)end, (unsigned long long)file->size);
	return true;
}

static bool check_segments(struct elf_file *file, const GElf_Ehdr *header, size_t count)
{
	bool entry_found = false;
	size_t loads = 0;
	GElf_Phdr segment;

	for (size_t i = 0; i < count; i++) {
		if (!gelf_getphdr(file->elf, (int)i, &segment))
			return fail(file, "malformed ELF: program header %zu unreadable", i);
		if (segment.p_type != PT_LOAD)
			continue;
		loads++;
		uint64_t end = segment.p_offset + segment.p_filesz;
		if (end < segment.p_offset || end > file->size)
			return fail(file, "truncated ELF: segment %zu ends at 0x%llx beyond the file's 0x%llx bytes",
				    i, (unsigned long long)end, (unsigned long long)file->size);
		if ((segment.p_flags & PF_X) && header->e_entry >= segment.p_vaddr &&
		    header->e_entry - segment.p_vaddr < segment.p_memsz)
			entry_found = true;
	}
	if (loads == 0)
		return fail(file, "malformed ELF: no PT_LOAD segment, nothing to load");
	if (!entry_found)
		return fail(file, "malformed ELF: the entry point 0x%llx is not in an executable segment",
			    (unsigned long long)header->e_entry);
	return true;
}

static bool check_file(struct elf_file *file)
{
	GElf_Ehdr header;
	size_t count;

	return check_identity(file, &header) && check_program_header_table(file, &header, &count) &&
	       check_segments(file, &header, count);
}

int elf_check_runnable(const char *path, char *problem, size_t problem_size)
{
	struct elf_file file = {.problem = problem, .problem_size = problem_size};
	struct stat info;
	bool runnable = false;

	elf_version(EV_CURRENT);
	file.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (file.fd < 0 || fstat(file.fd, &info) != 0) {
		fail(&file, "cannot read it: %s", strerror(errno));
	} else {
		file.size = (uint64_t)info.st_size;
		file.elf = elf_begin(file.fd, ELF_C_READ, NULL);
		runnable = file.elf ? check_file(&file) : fail(&file, "libelf: %s", elf_errmsg(-1));
		elf_end(file.elf);
	}
	if (file.fd >= 0)
		close(file.fd);
	return runnable ? 0 : EXIT_NOT_RUNNABLE;
}
