/* Maps ET_EXEC (at its link address) and PIE ET_DYN (at Linux's PIE base,
 * moved at random under ASLR) executables, and the dynamic linker their
 * PT_INTERP names. Pages arrive on demand from the files. */
#include "loader/load.h"

#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/intern.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/aslr.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"
#include "kernel/vdso/vdso_map.h"
#include "libc-glue/kformat.h"
#include "loader/elf.h"

#define HEADER_BYTES 4096

static uint32_t segment_prot(uint32_t flags)
{
	return (flags & PF_R ? VMA_READ : 0) | (flags & PF_W ? VMA_WRITE : 0) | (flags & PF_X ? VMA_EXEC : 0);
}

/* Like Linux, a segment sharing a page with the previous one replaces it:
 * both come from the same file page, since vaddr and offset agree modulo
 * the page size. */
static int map_segment(struct addrspace *as, struct inode *file, const char *path, const Elf64_Phdr *ph, uint64_t bias)
{
	uint64_t vaddr = ph->p_vaddr + bias;
	uint64_t start = PAGE_ALIGN_DOWN(vaddr);
	uint64_t lead = vaddr - start;
	uint64_t end = PAGE_ALIGN_UP(vaddr + ph->p_memsz);
	return as_map(as, start, end - start, segment_prot(ph->p_flags), 0, file, ph->p_offset - lead,
	              ph->p_filesz + lead, path);
}

/* Reads and checks the ELF headers of file into a fresh page. */
static int read_headers(struct inode *file, uint8_t **header, struct elf_info *info, const char **error)
{
	*header = kmalloc(HEADER_BYTES);
	if (!*header) {
		*error = "out of memory while reading the ELF headers";
		return -ENOMEM;
	}
	long got = inode_read(file, 0, *header, HEADER_BYTES);
	if (got < 0) {
		*error = "cannot read the file";
		return (int)got;
	}
	return elf_parse(*header, (size_t)got, file->size, info, error) ? -ENOEXEC : 0;
}

static int map_image(struct addrspace *as, struct inode *file, const char *path, const struct elf_info *info,
                     uint64_t bias, const char **error)
{
	for (unsigned i = 0; i < info->phnum; i++) {
		if (info->phdrs[i].p_type != PT_LOAD)
			continue;
		int err = map_segment(as, file, path, &info->phdrs[i], bias);
		if (err) {
			*error = "out of memory while mapping the ELF's segments";
			return err;
		}
	}
	return 0;
}

/* The dynamic linker named by PT_INTERP, found from the process's root
 * and run with its permission: mapped top-down below the mmap area's top,
 * as Linux places it. */
static int load_interpreter(struct process *p, const char *interp, struct loaded_image *out, const char **error)
{
	static char message[160];
	struct inode *file;
	int err = vfs_lookup((struct lookup_context){.root = p->fs->root, .cred = &p->cred}, p->fs->root, interp, LOOKUP_FOLLOW, &file);
	if (err == -EACCES || (!err && (err = inode_permission(&p->cred, file, MAY_EXEC)))) {
		*error = "the process may not run its ELF interpreter";
		return err;
	}
	if (err || !S_ISREG(file->mode)) {
		ksnprintf(message, sizeof message, "its ELF interpreter %s is not in the initrd", interp);
		*error = message;
		return -ENOEXEC;
	}
	uint8_t *header;
	struct elf_info info;
	err = read_headers(file, &header, &info, error);
	if (!err && (!info.position_independent || info.interp)) {
		*error = "its ELF interpreter is not a position-independent, self-contained ELF";
		err = -ENOEXEC;
	}
	uintptr_t base;
	if (!err && as_find_free(p->as, info.highest_vaddr - info.lowest_vaddr, &base)) {
		*error = "no room in the address space for the ELF interpreter";
		err = -ENOMEM;
	}
	if (!err) {
		uint64_t bias = base - info.lowest_vaddr;
		const char *name = intern(interp);
		err = map_image(p->as, file, name ? name : "[interpreter]", &info, bias, error);
		out->interp_base = bias;
		out->start = info.ehdr->e_entry + bias;
	}
	kfree(header);
	return err;
}

int load_elf(struct process *p, struct inode *file, const char *path, struct loaded_image *out, const char **error)
{
	uint8_t *header;
	struct elf_info info;
	int err = read_headers(file, &header, &info, error);
	if (err) {
		kfree(header);
		return err;
	}
	bool randomize = aslr_wanted(p);
	aslr_lay_out(p->as, randomize);
	uint64_t bias = info.position_independent ? aslr_pie_base(randomize) - PAGE_ALIGN_DOWN(info.lowest_vaddr) : 0;
	if (!info.position_independent && info.lowest_vaddr < USER_MIN_ADDR) {
		*error = "the ELF wants to load below 0x10000 (vm.mmap_min_addr)";
		err = -ENOEXEC;
	}
	if (!err)
		err = map_image(p->as, file, path, &info, bias, error);
	if (!err) {
		p->as->brk_start = p->as->brk_end = aslr_brk_start(info.highest_vaddr + bias, randomize);
		out->randomized = randomize;
		out->entry = info.ehdr->e_entry + bias;
		out->start = out->entry;
		out->interp_base = 0;
		out->load_bias = bias;
		out->phdr = info.phdr_vaddr ? info.phdr_vaddr + bias : 0;
		out->phnum = info.phnum;
	}
	if (!err && info.interp)
		err = load_interpreter(p, info.interp, out, error);
	if (!err)
		out->vdso = vdso_map(p->as);
	if (!err)
		addrspace_hold_exe(p->as, file);
	kfree(header);
	return err;
}
