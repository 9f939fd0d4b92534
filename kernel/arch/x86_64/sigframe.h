/* x86_64's side of signals: the rt_sigframe a handler runs on, laid out as
 * Linux lays it out, and rewinding a syscall a signal interrupted. */
#ifndef SOLE_SIGFRAME_H
#define SOLE_SIGFRAME_H

#include <stdbool.h>
#include <stdint.h>

struct k_sigaction;
struct signal_info;
struct signal_stack;
struct trap_frame;

/* Saves the app's registers, FPU state, mask and alternate-stack settings
 * in a frame on its stack (or its alternate stack, under SA_ONSTACK), and
 * points f at the handler. 0, or -EFAULT when the frame does not fit. */
int sigframe_push(struct trap_frame *f, const struct k_sigaction *ka, const struct signal_info *info, uint64_t mask);
/* rt_sigreturn: restores the registers and FPU state from the frame below
 * f's stack pointer; *mask and *stack get the mask and alternate stack
 * saved in it. 0, or -EFAULT for a frame that cannot be read or used. */
int sigframe_pop(struct trap_frame *f, uint64_t *mask, struct signal_stack *stack);

/* The -ERESTART* value a syscall left in f, 0 when f is not a syscall's. */
long syscall_restart_code(const struct trap_frame *f);
/* Makes the syscall in f run again on the way back: the same one, or
 * restart_syscall (for -ERESTART_RESTARTBLOCK). */
void syscall_rerun(struct trap_frame *f, bool through_restart_syscall);
void syscall_set_result(struct trap_frame *f, long result);

#endif
