/* PVH entry: QEMU jumps here in 32-bit protected mode with paging off and
 * %ebx pointing at the hvm_start_info. We map the first GiB three times
 * (identity, direct map, -2 GiB), enter long mode and call kmain. */
#include "kernel/arch/x86_64/long_mode.h"
#include "kernel/mm/layout.h"

#define PHYS(sym) ((sym) - KERNEL_VMA)
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a"
	.p2align 2
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long PHYS(pvh_start32)

	.section .boot.text, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	mov %ebx, %esi                  /* start_info, kept for kmain */

	/* .bss is not in the file; clear it before anything lives there. */
	mov $PHYS(__bss_start), %edi
	mov $PHYS(__bss_end), %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb

	/* 2048 large pages: the first 4 GiB, where QEMU puts the kernel, the
	 * initrd and start_info whatever -m is. The identity and direct maps
	 * take all four GiB, the kernel's -2 GiB the first. */
	mov $PHYS(boot_pd), %edi
	mov $0x83, %eax                 /* present, writable, 2 MiB */
	xor %ecx, %ecx
1:	mov %eax, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	add $0x200000, %eax
	inc %ecx
	cmp $2048, %ecx
	jne 1b

	ENTER_LONG_MODE PHYS(boot_pml4)
	lgdt PHYS(boot_gdtr)
	ljmp $0x08, $PHYS(boot_long_mode)

	.code64
boot_long_mode:
	LOAD_DATA_SEGMENTS
	movabs $boot_higher_half, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.p2align 12
	.globl boot_pml4                /* the APs' way into long mode too (ap_trampoline.S) */
boot_pml4:
	.quad PHYS(boot_pdpt) + 3
	.fill 255, 8, 0
	.quad PHYS(boot_pdpt) + 3       /* PHYS_MAP_BASE */
	.fill 254, 8, 0
	.quad PHYS(boot_pdpt_high) + 3  /* KERNEL_VMA */
boot_pdpt:
	.quad PHYS(boot_pd) + 3
	.quad PHYS(boot_pd) + 0x1000 + 3
	.quad PHYS(boot_pd) + 0x2000 + 3
	.quad PHYS(boot_pd) + 0x3000 + 3
	.fill 508, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + 3
	.quad 0
boot_pd:
	.fill 4 * 512, 8, 0
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 64-bit code */
	.quad 0x00cf92000000ffff        /* data */
boot_gdtr:
	.word boot_gdtr - boot_gdt - 1
	.long PHYS(boot_gdt)

	.text
boot_higher_half:
	movabs $boot_stack_top, %rsp
	xor %ebp, %ebp
	mov %esi, %edi
	call kmain
1:	cli
	hlt
	jmp 1b

	.bss
	.p2align 12
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
