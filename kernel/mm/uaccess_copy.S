/* The copy loops behind uaccess.c. Each returns the number of bytes it
 * could NOT copy: a fault on the app's side jumps to a fixup label with
 * %rcx still counting what is left. Eight bytes a step, then the tail:
 * under TCG, QEMU runs each step of a rep string instruction as one load
 * and one store, so rep movsq copies six times faster than rep movsb. */
	.text
	.globl uaccess_copy
uaccess_copy:                   /* (dst, src, n) */
	mov %rdx, %rcx
	shr $3, %rcx
1:	rep movsq
	mov %edx, %ecx
	and $7, %ecx
2:	rep movsb
	xor %eax, %eax
	ret
3:	and $7, %edx            /* a fault in the qwords: they and the tail */
	lea (%rdx,%rcx,8), %rax
	ret
4:	mov %rcx, %rax
	ret

	.globl uaccess_zero
uaccess_zero:                   /* (dst, n) */
	mov %rsi, %rcx
	shr $3, %rcx
	xor %eax, %eax
5:	rep stosq
	mov %esi, %ecx
	and $7, %ecx
6:	rep stosb
	ret
7:	and $7, %esi
	lea (%rsi,%rcx,8), %rax
	ret
8:	mov %rcx, %rax
	ret

	.section __ex_table, "a"
	.quad 1b, 3b
	.quad 2b, 4b
	.quad 5b, 7b
	.quad 6b, 8b
