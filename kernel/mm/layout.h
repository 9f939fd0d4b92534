/* The virtual address layout: the app gets Linux's lower half, the kernel
 * image sits at -2 GiB and all physical memory is mapped at PHYS_MAP_BASE. */
#ifndef SOLE_MM_LAYOUT_H
#define SOLE_MM_LAYOUT_H

#define PAGE_SIZE 4096
#define PAGE_SHIFT 12
#define KERNEL_VMA 0xffffffff80000000
#define KERNEL_PHYS_LOAD 0x100000
#define PHYS_MAP_BASE 0xffff800000000000

/* The app's half: everything below USER_TOP (Linux's TASK_SIZE). */
#define USER_TOP 0x00007ffffffff000
#define USER_STACK_TOP 0x00007ffffffff000
#define USER_STACK_SIZE (8ul << 20)
/* mmap grows down from here: Linux's mmap_base without ASLR (0x7ffff7fff000,
 * 0x8000 pages below the stack's top) lowered by 0x5555 pages. QEMU's TCG
 * has a direct-mapped TLB indexed by page number modulo its size (a power
 * of two, 256 entries and up): at Linux's distance the top pages of the
 * stack and of the mmap area (ld.so's data, then libc's) took the same
 * slots at every size up to 32768 and evicted each other all the time. At
 * 0xd555 pages they sit a third or two thirds of the TLB apart at those
 * sizes. (Linux itself randomizes both, so apps assume neither address.) */
#define USER_MMAP_TOP 0x00007ffff2aaa000
#define USER_PIE_BASE 0x0000555555554000 /* where Linux puts a PIE without ASLR */
#define USER_MIN_ADDR 0x10000            /* vm.mmap_min_addr */

#ifndef __ASSEMBLER__
#include <stdint.h>
#define PAGE_ALIGN_DOWN(x) ((x) & ~(uintptr_t)(PAGE_SIZE - 1))
#define PAGE_ALIGN_UP(x) (((x) + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))
static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + PHYS_MAP_BASE); }
static inline uint64_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYS_MAP_BASE;
}
#endif

#endif
