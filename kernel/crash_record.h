/* The crash record (docs/crash-record.md): what the host needs to explain
 * a crash, written on the console's crash stream. */
#ifndef SOLE_CRASH_RECORD_H
#define SOLE_CRASH_RECORD_H

#include <stdint.h>

struct process;
struct trap_frame;

void crash_record_user_fault(struct process *p, int sig, const struct trap_frame *f, const char *cause,
			     const char *detail, uint64_t addr);
/* f may be NULL (a panic outside a trap): then rbp starts the backtrace. */
void crash_record_kernel_panic(const struct trap_frame *f, const char *detail, uint64_t rbp);

#endif
