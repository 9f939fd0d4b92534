/* Where an application processor starts: the STARTUP IPI puts it in real
 * mode at AP_TRAMPOLINE_PHYS (smp.c copies this code there). It loads a
 * GDT of its own, enters protected mode, then long mode on the boot page
 * tables (boot.S's boot_pml4, which map this page one to one and the
 * kernel at -2 GiB), and jumps to ap_entry (smp.c) on the stack smp.c left
 * in ap_stack_top, with ap_cpu in %rdi. Every address below is the copy's,
 * worked out from the distance to ap_trampoline_start. */
#include "kernel/arch/x86_64/long_mode.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/mm/layout.h"

#define AT(sym) ((sym) - ap_trampoline_start + AP_TRAMPOLINE_PHYS)

	.section .rodata
	.globl ap_trampoline_start, ap_trampoline_end, ap_stack_top, ap_cpu
	.code16
ap_trampoline_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl AT(ap_gdtr)
	mov %cr0, %eax
	or $1, %eax                     /* PE */
	mov %eax, %cr0
	ljmpl $0x08, $AT(ap_protected)

	.code32
ap_protected:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	ENTER_LONG_MODE (boot_pml4 - KERNEL_VMA)
	ljmp $0x18, $AT(ap_long)

	.code64
ap_long:
	LOAD_DATA_SEGMENTS
	mov AT(ap_stack_top), %rsp
	mov AT(ap_cpu), %rdi
	pushq $0                        /* ap_entry never returns: no return address */
	movabs $ap_entry, %rax
	jmp *%rax

	.p2align 3
ap_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff        /* 0x08 32-bit code */
	.quad 0x00cf92000000ffff        /* 0x10 data */
	.quad 0x00af9a000000ffff        /* 0x18 64-bit code */
ap_gdtr:
	.word ap_gdtr - ap_gdt - 1
	.long AT(ap_gdt)
	.p2align 3
ap_stack_top:
	.quad 0
ap_cpu:
	.quad 0
ap_trampoline_end:
