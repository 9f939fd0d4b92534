/* Core files (core(5)): what a process that dies of a "core" signal
 * (SIGQUIT, SIGSEGV, SIGABRT...) leaves behind, as Linux writes it: an ELF
 * ET_CORE file with its threads' registers and its memory, named by
 * /proc/sys/kernel/core_pattern in its current directory. */
#ifndef SOLE_COREDUMP_H
#define SOLE_COREDUMP_H

#include <stdbool.h>

struct inode;
struct process;
struct strbuf;
struct trap_frame;

struct core_dump;

/* The first step, while p's threads still stand where they entered the
 * kernel: their registers (f for the caller, the dying thread). NULL when
 * no core is to be written: RLIMIT_CORE below a page, p not dumpable, a
 * pipe pattern, or no memory. */
struct core_dump *coredump_begin(struct process *p, int sig, const struct trap_frame *f);
/* The second, once the other threads are told to die: writes the file
 * and frees cd. Whether a core was written, as WCOREDUMP reports it. */
bool coredump_write(struct core_dump *cd);

/* /proc/sys/kernel/core_pattern, a string root may change, and
 * core_uses_pid (0 or 1), a tunable of kernel/fs/sysctl.c. */
void coredump_pattern_show(const struct inode *ino, struct strbuf *out);
int coredump_pattern_store(const struct inode *ino, const char *text);
extern unsigned long core_uses_pid;

#endif
