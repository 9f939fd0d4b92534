/* Address-space layout randomization, as Linux does it on x86_64: where an
 * exec puts the stack's top, the mmap area's top (and so the dynamic
 * linker, the libraries and the vDSO), a PIE, the heap and the first stack
 * pointer. kernel.randomize_va_space (/proc/sys) turns it off with 0 and
 * leaves the heap alone with 1, and personality(ADDR_NO_RANDOMIZE) (setarch
 * -R) turns it off for one process and what it execs. */
#ifndef SOLE_MM_ASLR_H
#define SOLE_MM_ASLR_H

#include <stdbool.h>
#include <stdint.h>

struct addrspace;
struct process;

/* 2 (everything), 1 (all but the heap) or 0; sole run --no-aslr boots with 0. */
extern unsigned long randomize_va_space;

/* Whether an exec by P lays out its new image at random. */
bool aslr_wanted(const struct process *p);
/* Sets AS's stack top and mmap top: Linux's fixed places, or random ones. */
void aslr_lay_out(struct addrspace *as, bool randomize);
/* Where a PIE's lowest page goes. */
uintptr_t aslr_pie_base(bool randomize);
/* Where the heap starts, given the page after the program's last segment. */
uintptr_t aslr_brk_start(uintptr_t image_end, bool randomize);
/* The first stack pointer below the argument strings at SP, 16-byte aligned. */
uintptr_t aslr_stack_pointer(uintptr_t sp, bool randomize);

#endif
