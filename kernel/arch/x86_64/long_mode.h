/* The step the boot CPU (boot.S) and each AP (ap_trampoline.S) take from
 * 32-bit protected mode into long mode: the page tables at the physical
 * address pml4, PAE, LME and NXE in EFER, then paging with write
 * protection. A far jump to a 64-bit code segment comes next. */
#ifndef SOLE_LONG_MODE_H
#define SOLE_LONG_MODE_H

#ifdef __ASSEMBLER__
.macro ENTER_LONG_MODE pml4
	mov $\pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax                  /* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx
	rdmsr
	or $0x900, %eax                 /* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax            /* PG, WP, PE */
	mov %eax, %cr0
.endm
#endif

#endif
