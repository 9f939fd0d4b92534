/* `sole run --gdb`: the gdb command line that attaches to QEMU's gdb stub,
 * see gdb_command.h. */
#include "gdb_command.h"

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "byte_buffer.h"
#include "qemu.h"
#include "xalloc.h"

/* Where the kernel loads a position-independent app (USER_PIE_BASE in
 * kernel/mm/layout.h, Linux's address without ASLR). */
#define USER_PIE_BASE UINT64_C(0x555555554000)
#define PAGE_MASK (~UINT64_C(0xfff))

/* The app's load bias: 0 for ET_EXEC, else the PIE base minus its lowest
 * segment's page. */
static uint64_t app_load_bias(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint64_t lowest = UINT64_MAX, bias = 0;
	GElf_Ehdr header;
	GElf_Phdr segment;
	size_t count = 0;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && gelf_getehdr(elf, &header) && header.e_type == ET_DYN && elf_getphdrnum(elf, &count) == 0) {
		for (size_t i = 0; i < count; i++)
			if (gelf_getphdr(elf, (int)i, &segment) && segment.p_type == PT_LOAD && segment.p_vaddr < lowest)
				lowest = segment.p_vaddr;
		if (lowest != UINT64_MAX)
			bias = USER_PIE_BASE - (lowest & PAGE_MASK);
	}
	elf_end(elf);
	close(fd);
	return bias;
}

char *gdb_command_line(const char *kernel_elf, const char *app_host_path, int port)
{
	struct string_list argv = {0};
	char *absolute = realpath(app_host_path, NULL); /* gdb may start in another folder */
	char *app = xasprintf("add-symbol-file %s -o 0x%" PRIx64, absolute ? absolute : app_host_path,
			      app_load_bias(app_host_path));
	char *target = xasprintf("target remote 127.0.0.1:%d", port);
	const char *const words[] = {"gdb", "-q", "-ex", "set pagination off", "-ex", "set confirm off", kernel_elf, "-ex", app, "-ex", target};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		string_list_append(&argv, words[i]);
	char *line = qemu_format_command(&argv);
	string_list_free(&argv);
	free(absolute);
	free(app);
	free(target);
	return line;
}
