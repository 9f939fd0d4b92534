/* Reports the host hears at every end of the app, before its exit status
 * (the missing-files list, the syscall summary). A subsystem that keeps one
 * registers it with EXIT_REPORT(fn) in its own file; the process code runs
 * them all without knowing who they are, so the kernel needs no include of
 * the layers above it. */
#ifndef SOLE_EXIT_REPORT_H
#define SOLE_EXIT_REPORT_H

typedef void (*exit_report_fn)(void);

#define EXIT_REPORT(fn)                                                                                                \
	static const exit_report_fn exit_report_##fn __attribute__((section(".exit_reports"), used)) = fn

#endif
