/* Fatal kernel errors: a crash record with a kernel backtrace, then the VM
 * powers off with a failing status. Only for kernel bugs, never for
 * anything the app or the user can cause. */
#ifndef SOLE_PANIC_H
#define SOLE_PANIC_H

struct trap_frame;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_in_trap(const struct trap_frame *f, const char *cause) __attribute__((noreturn));

#endif
