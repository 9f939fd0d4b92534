/* The steps the boot CPU (boot.S) and each AP (ap_trampoline.S) take from
 * 32-bit protected mode into long mode: ENTER_LONG_MODE puts the page
 * tables at the physical address pml4, sets PAE, LME and NXE in EFER, then
 * paging with write protection; a far jump to a 64-bit code segment comes
 * next, whose first step is LOAD_DATA_SEGMENTS (both GDTs hold data at
 * 0x10). */
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

.macro LOAD_DATA_SEGMENTS
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
.endm
#endif

#endif
