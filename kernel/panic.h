/* Fatal kernel errors: a crash record with a kernel backtrace, then the VM
 * powers off with a failing status. Only for kernel bugs, never for
 * anything the app or the user can cause. */
#ifndef SOLE_PANIC_H
#define SOLE_PANIC_H

#include <stdint.h>

struct trap_frame;

/* What reports a panic before the power goes off: the crash record, which
 * main registers at boot (so this floor needs nothing above it). rbp is
 * where a backtrace starts when there is no trap frame. */
typedef void (*panic_reporter)(const struct trap_frame *f, const char *detail, uint64_t rbp);
void panic_set_reporter(panic_reporter report);

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_in_trap(const struct trap_frame *f, const char *cause) __attribute__((noreturn));

#endif
