/* Switching kernel stacks between threads: the callee-saved registers go on
 * the old stack, whose top is stored in *save; the new stack's are popped.
 * A new thread's stack is built by thread_prepare_stack (sched.c) to return
 * into thread_first_entry, which leaves for ring 3 through its trap frame
 * (thread_first_run, kernel/proc/process.c). */
	.text
	.globl context_switch
context_switch:                 /* (uint64_t *save, uint64_t next_rsp) */
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.globl thread_first_entry
thread_first_entry:             /* r12 = the thread's trap frame */
	mov %r12, %rdi
	and $-16, %rsp              /* the C ABI's alignment at a call, whatever the frame's size */
	call thread_first_run       /* never returns */
