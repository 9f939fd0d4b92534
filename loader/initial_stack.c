/* Linux's initial process stack, from the top down: the strings (execfn,
 * envp, argv), the platform name and AT_RANDOM's 16 bytes, then, 16-byte
 * aligned, argc, argv[], NULL, envp[], NULL and the auxv pairs. */
#include <elf.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/errno.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/aslr.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"
#include "loader/load.h"

#define STACK_PREFAULT (64 * 1024)

/* Pushes bytes below *sp and returns where they landed. */
static uint64_t push_bytes(uint64_t *sp, const void *data, size_t len)
{
	*sp -= len;
	return copy_to_user((void *)*sp, data, len) ? 0 : *sp;
}

static uint64_t hwcap(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return r[3];
}

/* The stack's size: RLIMIT_STACK, as Linux reserves it, between 128 KiB
 * and the room below the mmap area's top (128 MiB). */
static uint64_t stack_size(const struct process *p)
{
	const uint64_t least = 128 * 1024, most = p->as->stack_top - p->as->mmap_top;
	uint64_t want = PAGE_ALIGN_UP(p->rlimits[RLIMIT_STACK].rlim_cur);
	return want < least ? least : want > most ? most : want;
}

uint64_t build_initial_stack(struct process *p, const struct loaded_image *image, const char *execfn,
                             const char *const *argv, int argc, const char *const *envp, int envc)
{
	uint64_t size = stack_size(p);
	uint64_t top = p->as->stack_top, base = top - size;
	if (as_map(p->as, base, size, VMA_READ | VMA_WRITE, VMA_STACK, NULL, 0, 0, "[stack]") ||
	    as_populate(p->as, top - STACK_PREFAULT, STACK_PREFAULT))
		return 0;

	uint64_t sp = top - sizeof(uint64_t); /* Linux leaves a NULL word at the very top */
	uint64_t execfn_at = push_bytes(&sp, execfn, strlen(execfn) + 1);
	uint64_t *string_at = kmalloc((size_t)(argc + envc) * sizeof(uint64_t) + 1);
	if (!string_at)
		return 0;
	p->env_end = sp;
	for (int i = envc - 1; i >= 0; i--)
		string_at[argc + i] = push_bytes(&sp, envp[i], strlen(envp[i]) + 1);
	p->env_start = p->arg_end = sp;
	for (int i = argc - 1; i >= 0; i--)
		string_at[i] = push_bytes(&sp, argv[i], strlen(argv[i]) + 1);
	p->arg_start = sp;
	sp = aslr_stack_pointer(sp, image->randomized);
	uint64_t platform_at = push_bytes(&sp, "x86_64", 7);
	uint8_t random[16];
	random_fill(random, sizeof random);
	sp &= ~15ull;
	uint64_t random_at = push_bytes(&sp, random, sizeof random);

	uint64_t auxv[][2] = {
	    {AT_PHDR, image->phdr},
	    {AT_PHENT, sizeof(Elf64_Phdr)},
	    {AT_PHNUM, image->phnum},
	    {AT_PAGESZ, PAGE_SIZE},
	    {AT_BASE, image->interp_base},
	    {AT_FLAGS, 0},
	    {AT_ENTRY, image->entry},
	    {AT_UID, 0},
	    {AT_EUID, 0},
	    {AT_GID, 0},
	    {AT_EGID, 0},
	    {AT_SECURE, 0},
	    {AT_PLATFORM, platform_at},
	    {AT_HWCAP, hwcap()},
	    {AT_HWCAP2, 0},
	    {AT_CLKTCK, 100},
	    {AT_RANDOM, random_at},
	    {AT_EXECFN, execfn_at},
	    {AT_SYSINFO_EHDR, image->vdso},
	    {AT_NULL, 0},
	};
	/* argc + argv + NULL + envp + NULL + auxv, ending 16-byte aligned. */
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + sizeof auxv / sizeof(uint64_t);
	sp = (sp - words * sizeof(uint64_t)) & ~15ull;
	uint64_t *table = kmalloc(words * sizeof(uint64_t));
	if (!table) {
		kfree(string_at);
		return 0;
	}
	size_t w = 0;
	table[w++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++)
		table[w++] = string_at[i];
	table[w++] = 0;
	for (int i = 0; i < envc; i++)
		table[w++] = string_at[argc + i];
	table[w++] = 0;
	memcpy(&table[w], auxv, sizeof auxv);
	_Static_assert(sizeof auxv <= sizeof p->auxv, "room for the auxv copy");
	memcpy(p->auxv, auxv, sizeof auxv);
	p->auxv_words = sizeof auxv / sizeof(uint64_t);
	int err = copy_to_user((void *)sp, table, words * sizeof(uint64_t));
	kfree(table);
	kfree(string_at);
	return err ? 0 : sp;
}
