/* Hooks that layers above the process code register in their own file, so
 * that the process code calls them without knowing who they are (and the
 * kernel needs no include of the layers above it). Each macro puts a
 * function pointer in a linker section that kernel.ld gathers.
 *
 * EXIT_REPORT(fn): void fn(void), run when the VM ends, before the exit
 *   status goes to the host (the missing-files list, the syscall summary).
 * PROCESS_EXIT_HOOK(fn): void fn(struct process *p), run when p ends, to
 *   release state kept for it (interval timers, POSIX timers).
 * PROCESS_EXEC_HOOK(fn): the same, when p execs a new program (Linux
 *   deletes POSIX timers there and keeps the interval timers). */
#ifndef SOLE_HOOKS_H
#define SOLE_HOOKS_H

struct process;

typedef void (*exit_report_fn)(void);
typedef void (*process_hook_fn)(struct process *p);

#define HOOK_IN_SECTION(type, kind, fn) static const type kind##_##fn __attribute__((section("." #kind "s"), used)) = fn

#define EXIT_REPORT(fn) HOOK_IN_SECTION(exit_report_fn, exit_report, fn)
#define PROCESS_EXIT_HOOK(fn) HOOK_IN_SECTION(process_hook_fn, process_exit_hook, fn)
#define PROCESS_EXEC_HOOK(fn) HOOK_IN_SECTION(process_hook_fn, process_exec_hook, fn)

/* Runs every hook of one kind. */
void exit_reports_run(void);
void process_exit_hooks_run(struct process *p);
void process_exec_hooks_run(struct process *p);

#endif
