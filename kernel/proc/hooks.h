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
 *   deletes POSIX timers there and keeps the interval timers).
 * RETURN_TO_USER_HOOK(fn): void fn(void), run on a thread's way back to
 *   user space (after a syscall or an interrupt) while return_to_user_work
 *   is set: work a layer leaves for the thread it belongs to, as Linux's
 *   task work (io_uring's requests that may go on). The flag is cleared
 *   before the hooks run; a hook that still has work sets it again. */
#ifndef SOLE_HOOKS_H
#define SOLE_HOOKS_H

#include <stdbool.h>

struct process;

typedef void (*exit_report_fn)(void);
typedef void (*process_hook_fn)(struct process *p);
typedef void (*return_to_user_fn)(void);

#define HOOK_IN_SECTION(type, kind, fn) static const type kind##_##fn __attribute__((section("." #kind "s"), used)) = fn

#define EXIT_REPORT(fn) HOOK_IN_SECTION(exit_report_fn, exit_report, fn)
#define PROCESS_EXIT_HOOK(fn) HOOK_IN_SECTION(process_hook_fn, process_exit_hook, fn)
#define PROCESS_EXEC_HOOK(fn) HOOK_IN_SECTION(process_hook_fn, process_exec_hook, fn)
#define RETURN_TO_USER_HOOK(fn) HOOK_IN_SECTION(return_to_user_fn, return_to_user_hook, fn)

extern bool return_to_user_work;

/* Runs every hook of one kind. */
void exit_reports_run(void);
void process_exit_hooks_run(struct process *p);
void process_exec_hooks_run(struct process *p);
void return_to_user_hooks_run(void);

#endif
