/* Switching kernel stacks between threads: the callee-saved registers go on
 * the old stack, whose top is stored in *save; the new stack's are popped.
 * A fresh context's stack is built by fresh_context (sched.c) to return
 * into context_first_entry, which calls its function: a new thread's
 * leaves for ring 3 through its trap frame (thread_first_run,
 * kernel/proc/process.c); a CPU's idle context waits for a thread. */
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

	.globl context_first_entry
context_first_entry:            /* r13 = the function, r12 = its argument */
	mov %r12, %rdi
	and $-16, %rsp              /* the C ABI's alignment at a call, whatever the frame's size */
	call *%r13                  /* never returns */
	ud2
