/* The boot-time floor: a PVH kernel that powers QEMU off at its first
 * instruction, through isa-debug-exit. What QEMU itself costs. */
	.section .note.Xen, "a", @note
	.p2align 2
	.long 4, 4, 18          /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long start

	.text
	.code32
	.globl start
start:
	mov $0x501, %dx
	xor %eax, %eax
	out %al, %dx
1:	hlt
	jmp 1b
