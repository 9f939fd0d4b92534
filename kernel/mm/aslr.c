/* Address-space layout randomization, see aslr.h. The ranges are Linux's
 * x86_64 ones: 22 bits of pages for the stack's top (STACK_RND_MASK), 28
 * bits of pages (mmap_rnd_bits) for the mmap area and a PIE, 32 MiB for the
 * heap's start and 8 KiB below the argument strings for the stack pointer.
 *
 * One difference: the distance from the stack's top to the mmap area's top
 * keeps, modulo 0x8000 pages, the value of the fixed layout (0xd555 pages,
 * see USER_MMAP_TOP in layout.h), so that the hot top pages of the two never
 * share a slot of QEMU's TLB. The mmap top still takes 28 bits of entropy
 * from the two draws together; given the stack's top, 13 bits remain. */
#include "kernel/mm/aslr.h"

#include <linux/personality.h>

#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/proc/process.h"
#include "kernel/random.h"

#define STACK_RANDOM_PAGES (1ul << 22)
#define MMAP_RANDOM_PAGES (1ul << 28)
#define TLB_ALIAS_PAGES 0x8000ul /* the largest TLB size the layout avoids aliasing at */
#define BRK_RANDOM_BYTES (32ul << 20)
#define STACK_POINTER_RANDOM_BYTES 8192

unsigned long randomize_va_space = 2;

static uint64_t random_below(uint64_t bound)
{
	uint64_t word;
	random_fill(&word, sizeof word);
	return word % bound;
}

bool aslr_wanted(const struct process *p)
{
	return randomize_va_space && !(p->personality & ADDR_NO_RANDOMIZE);
}

void aslr_lay_out(struct addrspace *as, bool randomize)
{
	as->stack_top = USER_STACK_TOP;
	as->mmap_top = USER_MMAP_TOP;
	if (!randomize)
		return;
	as->stack_top -= random_below(STACK_RANDOM_PAGES) * PAGE_SIZE;
	uint64_t aliasing_steps = random_below(MMAP_RANDOM_PAGES / TLB_ALIAS_PAGES);
	as->mmap_top = as->stack_top - (USER_STACK_TOP - USER_MMAP_TOP) - aliasing_steps * TLB_ALIAS_PAGES * PAGE_SIZE;
}

uintptr_t aslr_pie_base(bool randomize)
{
	return USER_PIE_BASE + (randomize ? random_below(MMAP_RANDOM_PAGES) * PAGE_SIZE : 0);
}

uintptr_t aslr_brk_start(uintptr_t image_end, bool randomize)
{
	uintptr_t start = PAGE_ALIGN_UP(image_end);
	if (randomize && randomize_va_space > 1)
		start += random_below(BRK_RANDOM_BYTES / PAGE_SIZE) * PAGE_SIZE;
	return start;
}

uintptr_t aslr_stack_pointer(uintptr_t sp, bool randomize)
{
	if (randomize)
		sp -= random_below(STACK_POINTER_RANDOM_BYTES);
	return sp & ~(uintptr_t)15;
}
