/* Host unit tests of the ELF header checks (loader/elf.c): images built by
 * hand in memory, one for each rejection, and the real /bin/busybox. */
#include <stdlib.h>

#include "kernel/tests/check.h"
#include "loader/elf.h"

#define IMAGE_MAX 0x2000
#define INTERP_AT 0x200
#define INTERP "/lib64/ld-linux-x86-64.so.2"

/* An image under construction: its first avail bytes are given to
 * elf_parse, which is told the file has file_size bytes. */
struct image {
	_Alignas(Elf64_Ehdr) uint8_t bytes[IMAGE_MAX];
	size_t avail;
	uint64_t file_size;
};

static struct image img;

static Elf64_Ehdr *ehdr(void) { return (Elf64_Ehdr *)(void *)img.bytes; }

static Elf64_Phdr *phdr(unsigned i)
{
	return (Elf64_Phdr *)(void *)(img.bytes + ehdr()->e_phoff + i * sizeof(Elf64_Phdr));
}

static void set_load(unsigned i, uint32_t flags, uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	*phdr(i) = (Elf64_Phdr){.p_type = PT_LOAD,
	                        .p_flags = flags,
	                        .p_offset = offset,
	                        .p_vaddr = vaddr,
	                        .p_paddr = vaddr,
	                        .p_filesz = filesz,
	                        .p_memsz = memsz,
	                        .p_align = 0x1000};
}

/* A static executable: a read-only page holding the headers, text at
 * 0x401000, data and bss at 0x403000. */
static void image_reset(void)
{
	memset(&img, 0, sizeof img);
	Elf64_Ehdr *h = ehdr();
	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_type = ET_EXEC;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_entry = 0x401000;
	h->e_phoff = sizeof(Elf64_Ehdr);
	h->e_ehsize = sizeof(Elf64_Ehdr);
	h->e_phentsize = sizeof(Elf64_Phdr);
	h->e_phnum = 3;
	set_load(0, PF_R, 0, 0x400000, 0x1000, 0x1000);
	set_load(1, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800);
	set_load(2, PF_R | PF_W, 0x2000, 0x403000, 0x100, 0x1000);
	memcpy(img.bytes + INTERP_AT, INTERP, sizeof INTERP);
	img.avail = 0x400;
	img.file_size = 0x2100;
}

/* Runs elf_parse over an exact-size heap copy of the available bytes (so
 * ASan sees reads past them). On success the pointers in *info are checked
 * against the copy, and interp is copied out before the copy is freed. */
static char interp_copy[256];

static int parse(struct elf_info *info, const char **error)
{
	uint8_t *copy = malloc(img.avail ? img.avail : 1);
	memcpy(copy, img.bytes, img.avail);
	*error = NULL;
	memset(info, 0xa5, sizeof *info);
	int rc = elf_parse(copy, img.avail, img.file_size, info, error);
	if (rc == 0) {
		CHECK(*error == NULL);
		CHECK((const void *)info->ehdr == copy);
		CHECK((const void *)info->phdrs == copy + ehdr()->e_phoff);
		if (info->interp) {
			const uint8_t *p = (const uint8_t *)info->interp;
			if (CHECK(p >= copy && p < copy + img.avail) &&
			    CHECK(strnlen(info->interp, (size_t)(copy + img.avail - p)) < sizeof interp_copy)) {
				strcpy(interp_copy, info->interp);
				info->interp = interp_copy;
			} else {
				info->interp = "(outside the image)";
			}
		}
	}
	free(copy);
	return rc;
}

static void expect_ok(const char *what, struct elf_info *info)
{
	const char *error;
	int rc = parse(info, &error);
	if (!CHECK_EQ(rc, 0))
		fprintf(stderr, "  %s: rejected: %s\n", what, error ? error : "(no error)");
}

static void expect_error(const char *what, const char *message)
{
	struct elf_info info;
	const char *error;
	int rc = parse(&info, &error);
	bool rc_ok = CHECK_EQ(rc, -1);
	if (!rc_ok || !CHECK_STREQ(error, message))
		fprintf(stderr, "  %s\n", what);
}

static const char *const BAD_MAGIC = "not an ELF file (bad magic)";
static const char *const SHORT_HEADER = "truncated ELF: the file is shorter than an ELF header";
static const char *const PHDRS_BEYOND = "truncated ELF: program headers lie beyond the end of the file";
static const char *const PHDRS_FAR = "ELF program headers too far into the file";
static const char *const SEGMENT_BEYOND = "truncated ELF: a segment ends beyond the end of the file";
static const char *const FILESZ = "malformed ELF: a segment's file size exceeds its memory size";
static const char *const USER_RANGE = "malformed ELF: a segment lies outside the user address range";
static const char *const MISALIGNED = "malformed ELF: a segment's address and offset disagree modulo the page size";
static const char *const ENTRY = "malformed ELF: the entry point is not in an executable segment";
static const char *const NO_LOAD = "ELF without a loadable segment";
static const char *const BAD_INTERP = "malformed PT_INTERP";
static const char *const NO_PHDRS = "ELF without program headers";

static void test_valid(void)
{
	struct elf_info info;
	image_reset();
	expect_ok("the base image", &info);
	CHECK_EQ(info.phnum, 3);
	CHECK(!info.position_independent);
	CHECK(info.interp == NULL);
	CHECK_EQ(info.lowest_vaddr, 0x400000);
	CHECK_EQ(info.highest_vaddr, 0x404000);
	/* No PT_PHDR: the headers are in the first segment, at offset 64. */
	CHECK_EQ(info.phdr_vaddr, 0x400040);

	/* Only as many bytes as the headers need. */
	image_reset();
	img.avail = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
	expect_ok("avail just enough", &info);
	CHECK_EQ(info.phnum, 3);
}

static void test_header(void)
{
	for (size_t avail = 0; avail < 4; avail++) {
		image_reset();
		img.avail = avail;
		expect_error("fewer than 4 bytes", BAD_MAGIC);
	}
	for (int i = 0; i < 4; i++) {
		image_reset();
		img.bytes[i] ^= 0x20;
		expect_error("one magic byte wrong", BAD_MAGIC);
	}
	for (size_t avail = 4; avail < sizeof(Elf64_Ehdr); avail++) {
		image_reset();
		img.avail = avail;
		expect_error("shorter than the ELF header", SHORT_HEADER);
	}

	image_reset();
	ehdr()->e_ident[EI_CLASS] = ELFCLASS32;
	expect_error("ELFCLASS32", "not a 64-bit ELF (ELFCLASS32)");
	ehdr()->e_ident[EI_CLASS] = ELFCLASSNONE;
	expect_error("ELFCLASSNONE", "not a 64-bit ELF (ELFCLASS32)");

	image_reset();
	ehdr()->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_error("big endian", "not a little-endian ELF");
	ehdr()->e_ident[EI_DATA] = ELFDATANONE;
	expect_error("no data encoding", "not a little-endian ELF");

	static const uint16_t machines[] = {EM_386, EM_AARCH64, EM_RISCV, EM_NONE};
	for (size_t i = 0; i < sizeof machines / sizeof machines[0]; i++) {
		image_reset();
		ehdr()->e_machine = machines[i];
		expect_error("wrong machine", "not an x86_64 ELF (wrong machine)");
	}

	static const uint16_t types[] = {ET_NONE, ET_REL, ET_CORE, 0xfe00};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		image_reset();
		ehdr()->e_type = types[i];
		expect_error("not ET_EXEC or ET_DYN", "not an executable ELF (neither ET_EXEC nor ET_DYN)");
	}

	image_reset();
	ehdr()->e_phnum = 0;
	expect_error("no program headers", NO_PHDRS);
	image_reset();
	ehdr()->e_phentsize = 32;
	expect_error("program header size 32", NO_PHDRS);
	ehdr()->e_phentsize = 0;
	expect_error("program header size 0", NO_PHDRS);
}

static void test_phdr_table_bounds(void)
{
	image_reset();
	img.file_size = 64 + 3 * 56 - 1;
	expect_error("table one byte past the file", PHDRS_BEYOND);
	image_reset();
	ehdr()->e_phoff = 0x2101;
	expect_error("e_phoff past the file", PHDRS_BEYOND);
	image_reset();
	ehdr()->e_phoff = UINT64_MAX - 8;
	expect_error("e_phoff + size wraps", PHDRS_BEYOND);
	image_reset();
	ehdr()->e_phoff = 0x2000;
	ehdr()->e_phnum = 0xffff;
	expect_error("e_phnum too large", PHDRS_BEYOND);

	/* Inside the file but beyond the bytes at hand. */
	image_reset();
	memmove(img.bytes + 0x300, img.bytes + 64, 3 * sizeof(Elf64_Phdr));
	ehdr()->e_phoff = 0x300;
	img.avail = 0x300 + 3 * sizeof(Elf64_Phdr);
	struct elf_info info;
	expect_ok("table ending at avail", &info);
	CHECK_EQ(info.phdr_vaddr, 0x400300);
	img.avail--;
	expect_error("table one byte past avail", PHDRS_FAR);
}

static void test_segments(void)
{
	struct elf_info info;

	image_reset();
	phdr(2)->p_filesz = 0x101;
	expect_error("data one byte past the file", SEGMENT_BEYOND);
	image_reset();
	phdr(2)->p_offset = 0x3000;
	phdr(2)->p_vaddr = 0x403000;
	expect_error("data offset past the file", SEGMENT_BEYOND);
	image_reset();
	phdr(2)->p_offset = UINT64_MAX - 0xfff;
	phdr(2)->p_filesz = 0x1000;
	expect_error("offset + filesz wraps to 0", SEGMENT_BEYOND);
	image_reset();
	phdr(2)->p_filesz = 0;
	expect_ok("a bss-only segment", &info);
	CHECK_EQ(info.highest_vaddr, 0x404000);

	image_reset();
	phdr(2)->p_memsz = 0xff;
	expect_error("filesz > memsz", FILESZ);
	image_reset();
	phdr(2)->p_memsz = 0x100;
	expect_ok("filesz == memsz", &info);
	CHECK_EQ(info.highest_vaddr, 0x403100);

	image_reset();
	phdr(2)->p_vaddr = 0x7ff000000000ull - 0x1000;
	phdr(2)->p_memsz = 0x1000;
	expect_ok("ending at the top of the user range", &info);
	CHECK_EQ(info.highest_vaddr, 0x7ff000000000ull);
	phdr(2)->p_memsz = 0x1001;
	expect_error("ending one byte above the user range", USER_RANGE);
	image_reset();
	phdr(2)->p_vaddr = UINT64_MAX - 0xfff; /* aligned with offset 0x2000 */
	phdr(2)->p_memsz = 0x1000;
	expect_error("vaddr + memsz wraps to 0", USER_RANGE);
	image_reset();
	phdr(2)->p_vaddr = 0xffffffff80000000ull;
	expect_error("a kernel address", USER_RANGE);

	image_reset();
	phdr(1)->p_vaddr = 0x401010;
	ehdr()->e_entry = 0x401010;
	expect_error("vaddr and offset disagree", MISALIGNED);
	phdr(1)->p_offset = 0x1010;
	expect_ok("vaddr and offset agree off a page boundary", &info);
	CHECK_EQ(info.lowest_vaddr, 0x400000);
	image_reset();
	phdr(2)->p_offset = 0x2008;
	phdr(2)->p_filesz = 0xf8;
	expect_error("offset 8 bytes into the page", MISALIGNED);
}

static void test_entry(void)
{
	struct elf_info info;
	static const struct {
		uint64_t entry;
		bool ok;
	} cases[] = {
	    {0x401000, true},  {0x4017ff, true},  {0x401800, false},
	    {0x400fff, false}, {0x400100, false}, /* in the read-only segment */
	    {0x403010, false},                    /* in the data segment */
	    {0, false},        {0x500000, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int failed_before = check_failed;
		image_reset();
		ehdr()->e_entry = cases[i].entry;
		if (cases[i].ok)
			expect_ok("entry in the text", &info);
		else
			expect_error("entry outside the text", ENTRY);
		if (check_failed != failed_before)
			fprintf(stderr, "  (entry 0x%llx)\n", (unsigned long long)cases[i].entry);
	}
	/* The entry in bss of an executable segment (past filesz, below memsz). */
	image_reset();
	phdr(2)->p_flags |= PF_X;
	ehdr()->e_entry = 0x403800;
	expect_ok("entry in executable bss", &info);
}

static void test_no_load(void)
{
	image_reset();
	for (unsigned i = 0; i < 3; i++)
		phdr(i)->p_type = i == 0 ? PT_NOTE : i == 1 ? PT_GNU_STACK : PT_GNU_RELRO;
	expect_error("no PT_LOAD", NO_LOAD);
	/* The missing PT_LOAD is reported before the entry point. */
	ehdr()->e_entry = 0;
	expect_error("no PT_LOAD, no entry", NO_LOAD);
}

static void add_interp(uint64_t offset, uint64_t filesz)
{
	unsigned i = ehdr()->e_phnum++;
	*phdr(i) = (Elf64_Phdr){.p_type = PT_INTERP,
	                        .p_flags = PF_R,
	                        .p_offset = offset,
	                        .p_vaddr = 0x400000 + offset,
	                        .p_filesz = filesz,
	                        .p_memsz = filesz,
	                        .p_align = 1};
}

static void test_interp(void)
{
	struct elf_info info;
	image_reset();
	add_interp(INTERP_AT, sizeof INTERP);
	expect_ok("PT_INTERP", &info);
	CHECK_STREQ(info.interp, INTERP);
	CHECK_EQ(info.phnum, 4);

	/* PT_INTERP first, as linkers place it. */
	image_reset();
	memmove(phdr(1), phdr(0), 3 * sizeof(Elf64_Phdr));
	ehdr()->e_phnum = 0;
	add_interp(INTERP_AT, sizeof INTERP);
	ehdr()->e_phnum = 4;
	expect_ok("PT_INTERP before the PT_LOADs", &info);
	CHECK_STREQ(info.interp, INTERP);

	image_reset();
	add_interp(INTERP_AT, sizeof INTERP - 1);
	expect_error("PT_INTERP without its NUL", BAD_INTERP);
	image_reset();
	add_interp(INTERP_AT, 0);
	expect_error("empty PT_INTERP", BAD_INTERP);
	image_reset();
	add_interp(0x3f0, 0x11);
	expect_error("PT_INTERP past avail", BAD_INTERP);
	image_reset();
	add_interp(0x3f0, 0x10);
	img.bytes[0x3ff] = 0;
	expect_ok("PT_INTERP ending at avail", &info);
	image_reset();
	add_interp(0x5000, 0x10);
	expect_error("PT_INTERP past the file", BAD_INTERP);

	/* p_offset + p_filesz wraps around to a small number: 2^64 - 8 + 16
	 * is 8, and byte 7 of the image (EI_OSABI) is 0, so the NUL test
	 * passes unless the bounds check catches the wrap. */
	image_reset();
	add_interp(UINT64_MAX - 7, 16);
	expect_error("PT_INTERP whose offset + size wraps", BAD_INTERP);
}

static void test_phdr_vaddr(void)
{
	struct elf_info info;

	/* PT_PHDR, first: its address wins over the one found via PT_LOAD. */
	image_reset();
	memmove(phdr(1), phdr(0), 3 * sizeof(Elf64_Phdr));
	*phdr(0) = (Elf64_Phdr){.p_type = PT_PHDR,
	                        .p_flags = PF_R,
	                        .p_offset = 64,
	                        .p_vaddr = 0x400040,
	                        .p_filesz = 4 * 56,
	                        .p_memsz = 4 * 56,
	                        .p_align = 8};
	ehdr()->e_phnum = 4;
	phdr(0)->p_vaddr = 0x400040;
	expect_ok("PT_PHDR first", &info);
	CHECK_EQ(info.phdr_vaddr, 0x400040);
	phdr(0)->p_vaddr = 0x400123; /* taken as given */
	expect_ok("PT_PHDR with its own address", &info);
	CHECK_EQ(info.phdr_vaddr, 0x400123);

	/* PT_PHDR after the PT_LOADs still wins. */
	image_reset();
	ehdr()->e_phnum = 4;
	*phdr(3) = (Elf64_Phdr){.p_type = PT_PHDR,
	                        .p_flags = PF_R,
	                        .p_offset = 64,
	                        .p_vaddr = 0x700040,
	                        .p_filesz = 4 * 56,
	                        .p_memsz = 4 * 56,
	                        .p_align = 8};
	expect_ok("PT_PHDR last", &info);
	CHECK_EQ(info.phdr_vaddr, 0x700040);

	/* Without PT_PHDR: the segment whose file bytes hold the table. */
	image_reset();
	memmove(img.bytes + 0x1100, phdr(0), 3 * sizeof(Elf64_Phdr));
	ehdr()->e_phoff = 0x1100;
	img.avail = 0x1200;
	expect_ok("table inside the text segment", &info);
	CHECK_EQ(info.phdr_vaddr, 0x401100);

	/* The table not covered by any segment's file bytes. */
	image_reset();
	phdr(0)->p_filesz = 64 + 3 * 56 - 1; /* one byte short */
	expect_ok("table not quite mapped", &info);
	CHECK_EQ(info.phdr_vaddr, 0);
	phdr(0)->p_filesz = 64 + 3 * 56;
	expect_ok("table exactly mapped", &info);
	CHECK_EQ(info.phdr_vaddr, 0x400040);
	image_reset();
	phdr(0)->p_type = PT_NOTE; /* the first page no longer loaded */
	expect_ok("headers page not loaded", &info);
	CHECK_EQ(info.phdr_vaddr, 0);
	CHECK_EQ(info.lowest_vaddr, 0x401000);
}

static void test_position_independent(void)
{
	struct elf_info info;
	image_reset();
	ehdr()->e_type = ET_DYN;
	ehdr()->e_entry = 0x1040;
	set_load(0, PF_R, 0, 0, 0x1000, 0x1000);
	set_load(1, PF_R | PF_X, 0x1000, 0x1000, 0x800, 0x800);
	set_load(2, PF_R | PF_W, 0x2000, 0x3000, 0x100, 0x2345);
	expect_ok("ET_DYN", &info);
	CHECK(info.position_independent);
	CHECK_EQ(info.lowest_vaddr, 0);
	CHECK_EQ(info.highest_vaddr, 0x3000 + 0x2345);
	CHECK_EQ(info.phdr_vaddr, 0x40);
	CHECK(info.interp == NULL);
}

static void test_lowest_highest(void)
{
	struct elf_info info;
	/* Segments out of order, the lowest not page-aligned. */
	image_reset();
	set_load(0, PF_R | PF_W, 0x2000, 0x403000, 0x100, 0x5000);
	set_load(1, PF_R | PF_X, 0x1000, 0x401000, 0x800, 0x800);
	set_load(2, PF_R, 0x234, 0x200234, 0x100, 0x100);
	expect_ok("segments out of order", &info);
	CHECK_EQ(info.lowest_vaddr, 0x200000);
	CHECK_EQ(info.highest_vaddr, 0x408000);
	CHECK_EQ(info.phdr_vaddr, 0);

	/* A single segment. */
	image_reset();
	ehdr()->e_phnum = 1;
	set_load(0, PF_R | PF_X, 0, 0x400000, 0x2100, 0x2100);
	ehdr()->e_entry = 0x400100;
	expect_ok("one segment", &info);
	CHECK_EQ(info.lowest_vaddr, 0x400000);
	CHECK_EQ(info.highest_vaddr, 0x402100);
	CHECK_EQ(info.phdr_vaddr, 0x400040);
}

/* The real static busybox: its header and program headers from disk, and
 * the results compared with what the test reads from them itself. */
static void test_busybox(void)
{
	const char *path = "/bin/busybox";
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("test_elf: note: %s missing, its case skipped\n", path);
		return;
	}
	static _Alignas(Elf64_Ehdr) uint8_t head[16384];
	size_t got = fread(head, 1, sizeof head, f);
	CHECK(fseek(f, 0, SEEK_END) == 0);
	long size = ftell(f);
	fclose(f);
	if (!CHECK(size > 0) || !CHECK(got >= sizeof(Elf64_Ehdr)))
		return;

	struct elf_info info;
	const char *error = NULL;
	int rc = elf_parse(head, got, (uint64_t)size, &info, &error);
	if (!CHECK_EQ(rc, 0)) {
		fprintf(stderr, "  %s rejected: %s\n", path, error ? error : "(no error)");
		return;
	}
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)(const void *)head;
	CHECK_EQ(h->e_type, ET_EXEC);
	CHECK(!info.position_independent);
	CHECK(info.interp == NULL); /* static */
	CHECK_EQ(info.phnum, h->e_phnum);
	CHECK((const void *)info.phdrs == head + h->e_phoff);

	uint64_t low = UINT64_MAX, high = 0, phdr_vaddr = 0;
	bool entry_found = false;
	for (unsigned i = 0; i < h->e_phnum; i++) {
		const Elf64_Phdr *p = &info.phdrs[i];
		if (p->p_type == PT_PHDR)
			phdr_vaddr = p->p_vaddr;
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_vaddr / 4096 * 4096 < low)
			low = p->p_vaddr / 4096 * 4096;
		if (p->p_vaddr + p->p_memsz > high)
			high = p->p_vaddr + p->p_memsz;
		if ((p->p_flags & PF_X) && h->e_entry - p->p_vaddr < p->p_memsz)
			entry_found = true;
		if (!phdr_vaddr && p->p_offset <= h->e_phoff &&
		    h->e_phoff + h->e_phnum * sizeof(Elf64_Phdr) <= p->p_offset + p->p_filesz)
			phdr_vaddr = p->p_vaddr + h->e_phoff - p->p_offset;
	}
	CHECK(entry_found);
	CHECK_EQ(info.lowest_vaddr, low);
	CHECK_EQ(info.highest_vaddr, high);
	CHECK_EQ(info.phdr_vaddr, phdr_vaddr);
	CHECK(info.lowest_vaddr >= 0x10000);
	CHECK(info.highest_vaddr > info.lowest_vaddr);

	/* The same bytes, cut short, are rejected with the right message. */
	error = NULL;
	CHECK_EQ(elf_parse(head, 40, (uint64_t)size, &info, &error), -1);
	CHECK_STREQ(error, SHORT_HEADER);
	error = NULL;
	CHECK_EQ(elf_parse(head, got, 100, &info, &error), -1);
	CHECK_STREQ(error, PHDRS_BEYOND);
}

int main(void)
{
	test_valid();
	test_header();
	test_phdr_table_bounds();
	test_segments();
	test_entry();
	test_no_load();
	test_interp();
	test_phdr_vaddr();
	test_position_independent();
	test_lowest_highest();
	test_busybox();
	return check_summary("test_elf");
}
