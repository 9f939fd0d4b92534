/* Loading the app: maps an ELF executable's segments into a fresh
 * process and builds Linux's initial stack (argv, envp, auxv). */
#ifndef SOLE_LOAD_H
#define SOLE_LOAD_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct inode;

struct loaded_image {
	uint64_t start;       /* the first instruction: the interpreter's, if any */
	uint64_t entry;       /* the program's own entry point (AT_ENTRY) */
	uint64_t interp_base; /* AT_BASE: where the interpreter is, or 0 */
	uint64_t load_bias;   /* added to every p_vaddr of the program */
	uint64_t phdr;      /* AT_PHDR */
	uint64_t phnum;
	uint64_t vdso; /* AT_SYSINFO_EHDR: the vDSO's ELF header, 0 if not mapped */
	bool randomized; /* laid out at random (kernel/mm/aslr.h) */
};

/* Maps the executable. On failure returns -errno and sets *error to a
 * message for the user. */
int load_elf(struct process *p, struct inode *file, const char *path, struct loaded_image *out, const char **error);

/* Maps the stack and writes argc, argv, envp and auxv on it. Returns the
 * initial stack pointer, or 0 when out of memory. The address space must be
 * the active one. */
uint64_t build_initial_stack(struct process *p, const struct loaded_image *image, const char *execfn,
			     const char *const *argv, int argc, const char *const *envp, int envc);

#endif
