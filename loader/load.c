/* Maps ET_EXEC (at its link address) and static-PIE ET_DYN (at Linux's
 * PIE base) executables. Pages arrive on demand from the file. */
#include "loader/load.h"

#include "kernel/errno.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"
#include "loader/elf.h"
#include "syscalls/vfs/vfs.h"

#define HEADER_BYTES 4096

static uint32_t segment_prot(uint32_t flags)
{
	return (flags & PF_R ? VMA_READ : 0) | (flags & PF_W ? VMA_WRITE : 0) | (flags & PF_X ? VMA_EXEC : 0);
}

/* Like Linux, a segment sharing a page with the previous one replaces it:
 * both come from the same file page, since vaddr and offset agree modulo
 * the page size. */
static int map_segment(struct addrspace *as, struct inode *file, const char *path, const Elf64_Phdr *ph,
		       uint64_t bias)
{
	uint64_t vaddr = ph->p_vaddr + bias;
	uint64_t start = PAGE_ALIGN_DOWN(vaddr);
	uint64_t lead = vaddr - start;
	uint64_t end = PAGE_ALIGN_UP(vaddr + ph->p_memsz);
	return as_map(as, start, end - start, segment_prot(ph->p_flags), 0, file, ph->p_offset - lead,
		      ph->p_filesz + lead, path);
}

int load_elf(struct process *p, struct inode *file, const char *path, struct loaded_image *out, const char **error)
{
	static uint8_t header[HEADER_BYTES];
	long got = inode_read(file, 0, header, sizeof header);
	if (got < 0) {
		*error = "cannot read the file";
		return (int)got;
	}
	struct elf_info info;
	if (elf_parse(header, (size_t)got, file->size, &info, error))
		return -ENOEXEC;
	if (info.interp) {
		*error = "dynamic binaries (PT_INTERP) are not supported yet";
		return -ENOEXEC;
	}
	uint64_t bias = info.position_independent ? USER_PIE_BASE - info.lowest_vaddr : 0;
	if (!info.position_independent && info.lowest_vaddr < USER_MIN_ADDR) {
		*error = "the ELF wants to load below 0x10000 (vm.mmap_min_addr)";
		return -ENOEXEC;
	}
	for (unsigned i = 0; i < info.phnum; i++) {
		if (info.phdrs[i].p_type != PT_LOAD)
			continue;
		int err = map_segment(p->as, file, path, &info.phdrs[i], bias);
		if (err) {
			*error = "out of memory while mapping the ELF's segments";
			return err;
		}
	}
	p->as->brk_start = p->as->brk_end = PAGE_ALIGN_UP(info.highest_vaddr + bias);
	out->entry = info.ehdr->e_entry + bias;
	out->load_bias = bias;
	out->phdr = info.phdr_vaddr ? info.phdr_vaddr + bias : 0;
	out->phnum = info.phnum;
	return 0;
}
