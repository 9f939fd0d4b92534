/* Tests the pre-boot ELF checks on files crafted here: one good static
 * binary and one of each way a file can fail to be runnable. */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "elf_check.h"
#include "exit_codes.h"

#define FILE_SIZE 0x1200
#define LOAD_ADDRESS 0x400000

/* A minimal static x86_64 executable: header, two program headers, code. */
struct crafted {
	Elf64_Ehdr header;
	Elf64_Phdr segments[2];
	char rest[FILE_SIZE - sizeof(Elf64_Ehdr) - 2 * sizeof(Elf64_Phdr)];
};

static void craft_good(struct crafted *elf)
{
	memset(elf, 0, sizeof(*elf));
	memcpy(elf->header.e_ident, ELFMAG, SELFMAG);
	elf->header.e_ident[EI_CLASS] = ELFCLASS64;
	elf->header.e_ident[EI_DATA] = ELFDATA2LSB;
	elf->header.e_ident[EI_VERSION] = EV_CURRENT;
	elf->header.e_type = ET_EXEC;
	elf->header.e_machine = EM_X86_64;
	elf->header.e_version = EV_CURRENT;
	elf->header.e_entry = LOAD_ADDRESS + 0x1000;
	elf->header.e_phoff = sizeof(Elf64_Ehdr);
	elf->header.e_ehsize = sizeof(Elf64_Ehdr);
	elf->header.e_phentsize = sizeof(Elf64_Phdr);
	elf->header.e_phnum = 2;
	elf->segments[0] = (Elf64_Phdr){.p_type = PT_NOTE, .p_offset = 0x200, .p_filesz = 0x10};
	elf->segments[1] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = LOAD_ADDRESS,
		.p_filesz = FILE_SIZE, .p_memsz = FILE_SIZE, .p_align = 0x1000};
	strcpy(elf->rest + 0x100, "/lib64/ld-linux-x86-64.so.2");
}

static char test_path[] = "/tmp/sole-test-elf-XXXXXX";

static int check_bytes(const void *bytes, size_t size, char *problem, size_t problem_size)
{
	FILE *file = fopen(test_path, "w");
	fwrite(bytes, 1, size, file);
	fclose(file);
	problem[0] = '\0';
	return elf_check_runnable(test_path, problem, problem_size);
}

/* Checks that the crafted file is refused with exactly this problem. */
static void check_refused(const struct crafted *elf, size_t size, const char *expected)
{
	char problem[256];

	CHECK(check_bytes(elf, size, problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK_STRING(problem, expected);
}

int main(void)
{
	struct crafted elf;
	char problem[256];

	close(mkstemp(test_path));

	craft_good(&elf);
	CHECK(check_bytes(&elf, sizeof(elf), problem, sizeof(problem)) == 0);
	elf.header.e_type = ET_DYN; /* static-pie */
	CHECK(check_bytes(&elf, sizeof(elf), problem, sizeof(problem)) == 0);

	check_refused(&elf, 0, "an empty file, not an ELF binary");
	CHECK(check_bytes("#!/bin/sh\necho hi\n", 18, problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK(strstr(problem, "a script") != NULL);
	CHECK(check_bytes("hello world", 11, problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK_STRING(problem, "not an ELF binary");

	craft_good(&elf);
	elf.header.e_ident[EI_CLASS] = ELFCLASS32;
	elf.header.e_machine = EM_386;
	CHECK(check_bytes(&elf, sizeof(elf), problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK_STRING(problem, "not an x86_64 ELF (machine 3, EM_386)");

	craft_good(&elf);
	elf.header.e_machine = EM_AARCH64;
	check_refused(&elf, sizeof(elf), "not an x86_64 ELF (machine 183, EM_AARCH64)");

	craft_good(&elf);
	elf.header.e_ident[EI_DATA] = ELFDATA2MSB;
	elf.header.e_machine = EM_X86_64 << 8; /* as a big-endian file spells it */
	check_refused(&elf, sizeof(elf), "a big-endian ELF; x86_64 binaries are little endian");

	craft_good(&elf);
	elf.header.e_type = ET_REL;
	check_refused(&elf, sizeof(elf), "an object file (ET_REL), not an executable; link it first");

	craft_good(&elf);
	elf.segments[1].p_type = PT_NOTE;
	check_refused(&elf, sizeof(elf), "malformed ELF: no PT_LOAD segment, nothing to load");

	craft_good(&elf);
	elf.segments[1].p_filesz = 0x5000;
	check_refused(&elf, sizeof(elf),
		      "truncated ELF: segment 1 ends at 0x5000 beyond the file's 0x1200 bytes");

	craft_good(&elf);
	check_refused(&elf, 0x600,
		      "truncated ELF: segment 1 ends at 0x1200 beyond the file's 0x600 bytes");

	craft_good(&elf);
	elf.header.e_phoff = 0x1100;
	elf.header.e_phnum = 8;
	check_refused(&elf, sizeof(elf),
		      "truncated ELF: program headers end at 0x12c0 beyond the file's 0x1200 bytes");

	craft_good(&elf);
	elf.segments[1].p_flags = PF_R;
	check_refused(&elf, sizeof(elf),
		      "malformed ELF: the entry point 0x401000 is not in an executable segment");

	craft_good(&elf);
	elf.header.e_entry = 0x900000;
	check_refused(&elf, sizeof(elf),
		      "malformed ELF: the entry point 0x900000 is not in an executable segment");

	craft_good(&elf);
	elf.segments[0] = (Elf64_Phdr){.p_type = PT_INTERP, .p_offset = 0x100 + offsetof(struct crafted, rest),
				       .p_filesz = 28};
	CHECK(check_bytes(&elf, sizeof(elf), problem, sizeof(problem)) == 0); /* dynamic: runs */

	craft_good(&elf);
	CHECK(check_bytes(&elf, 20, problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK(problem[0] != '\0');

	unlink(test_path);
	CHECK(elf_check_runnable(test_path, problem, sizeof(problem)) == EXIT_NOT_RUNNABLE);
	CHECK(strstr(problem, "No such file") != NULL);
	return check_summary("elf_check");
}
