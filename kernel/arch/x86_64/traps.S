/* Exception and interrupt entry stubs: each pushes its vector (and a zero
 * where the CPU pushes no error code), then trap_common saves a struct
 * trap_frame and calls trap_handler. trap_return_to is the one way back to
 * ring 3. */
#include "kernel/arch/x86_64/trap_frame.h"

.macro TRAP_NOERR n
	.p2align 4
trap_stub_\n:
	pushq $0
	pushq $\n
	jmp trap_common
.endm
.macro TRAP_ERR n
	.p2align 4
trap_stub_\n:
	pushq $\n
	jmp trap_common
.endm

	.text
TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR 8
TRAP_NOERR 9
TRAP_ERR 10
TRAP_ERR 11
TRAP_ERR 12
TRAP_ERR 13
TRAP_ERR 14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR 17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR 21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_ERR 29
TRAP_ERR 30
TRAP_NOERR 31
TRAP_NOERR 32   /* the local APIC timer */
TRAP_NOERR 255  /* the local APIC's spurious vector */

/* Vectors 33..254: the devices' (IRQ_FIRST_DEVICE_VECTOR..IRQ_LAST_DEVICE_VECTOR,
 * irq.h), then the IPIs' (lapic.h); named by number through .altmacro's %expression. */
	.altmacro
.macro STUB_ADDRESS n
	.quad trap_stub_\n
.endm
	.set vector, 33
	.rept 254 - 33 + 1
	TRAP_NOERR %vector
	.set vector, vector + 1
	.endr

	.section .rodata
	.globl irq_stub_timer, irq_stub_spurious
	.p2align 3
irq_stub_timer:
	.quad trap_stub_32
irq_stub_spurious:
	.quad trap_stub_255
	.globl trap_stubs
	.p2align 3
trap_stubs:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\n
.endr
	.globl irq_stubs
irq_stubs:
	.set vector, 33
	.rept 254 - 33 + 1
	STUB_ADDRESS %vector
	.set vector, vector + 1
	.endr
	.noaltmacro

	.text
.macro SAVE_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm
.macro RESTORE_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

trap_common:
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:	SAVE_GPRS
	cld
	mov %rsp, %rdi
	call trap_handler
	jmp trap_exit

	.globl trap_return_to
trap_return_to:
	mov %rdi, %rsp
	.globl trap_exit
trap_exit:
	RESTORE_GPRS
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:	add $16, %rsp
	iretq

/* syscall: rcx = user rip, r11 = user rflags, rax = number. Interrupts are
 * off (FMASK) until the frame is saved. */
	.globl syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_USER_RSP
	mov %gs:PERCPU_KERNEL_STACK, %rsp
	pushq $USER_DS
	pushq %gs:PERCPU_USER_RSP
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq %rax
	pushq $SYSCALL_VECTOR
	SAVE_GPRS
	cld
	mov %rsp, %rdi
	call syscall_dispatch
	test %eax, %eax
	jnz trap_exit               /* the full restore through iretq */
	RESTORE_GPRS
	mov 16(%rsp), %rcx          /* rip */
	mov 32(%rsp), %r11          /* rflags */
	mov 40(%rsp), %rsp          /* user rsp */
	swapgs
	sysretq
