/* The registers saved on kernel entry, by an exception or by syscall. The
 * layout is shared with traps.S and syscall_entry.S. */
#ifndef SOLE_TRAP_FRAME_H
#define SOLE_TRAP_FRAME_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS 0x23 /* 0x20 | RPL 3 */
#define USER_CS 0x2b /* 0x28 | RPL 3 */
#define TSS_SELECTOR 0x30

#define SYSCALL_VECTOR 0x100 /* marks a frame built by syscall_entry */

/* struct percpu offsets used by assembly */
#define PERCPU_KERNEL_STACK 8
#define PERCPU_USER_RSP 16

#define FRAME_RIP 136
#define FRAME_CS 144

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector; /* exception number, or SYSCALL_VECTOR */
	uint64_t error;  /* CPU error code; the syscall number for syscalls */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct trap_frame, rip) == FRAME_RIP, "traps.S layout");
_Static_assert(__builtin_offsetof(struct trap_frame, cs) == FRAME_CS, "traps.S layout");

static inline bool trap_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

/* The app's registers during a syscall: syscall_entry saves them at the top
 * of the thread's kernel stack. */
static inline struct trap_frame *syscall_frame(uint64_t kernel_stack_top)
{
	return (struct trap_frame *)(kernel_stack_top - sizeof(struct trap_frame));
}

/* Leaves the kernel through the frame, into ring 3. Never returns. */
void trap_return_to(struct trap_frame *f) __attribute__((noreturn));
#endif

#endif
