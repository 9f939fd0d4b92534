/* The copy loops behind uaccess.c. Each returns the number of bytes it
 * could NOT copy: a fault on the app's side jumps to the fixup label with
 * %rcx still counting what is left. */
	.text
	.globl uaccess_copy
uaccess_copy:                   /* (dst, src, n) */
	mov %rdx, %rcx
1:	rep movsb
	xor %eax, %eax
	ret
2:	mov %rcx, %rax
	ret

	.globl uaccess_zero
uaccess_zero:                   /* (dst, n) */
	mov %rsi, %rcx
	xor %eax, %eax
3:	rep stosb
	ret
4:	mov %rcx, %rax
	ret

	.section __ex_table, "a"
	.quad 1b, 2b
	.quad 3b, 4b
