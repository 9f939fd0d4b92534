/* Running the registered hooks, see hooks.h; kernel.ld gathers each kind
 * between a start and an end symbol. */
#include "kernel/proc/hooks.h"

extern const exit_report_fn __exit_reports_start[], __exit_reports_end[];
extern const process_hook_fn __process_exit_hooks_start[], __process_exit_hooks_end[];
extern const process_hook_fn __process_exec_hooks_start[], __process_exec_hooks_end[];
extern const return_to_user_fn __return_to_user_hooks_start[], __return_to_user_hooks_end[];

bool return_to_user_work;

void exit_reports_run(void)
{
	for (const exit_report_fn *report = __exit_reports_start; report < __exit_reports_end; report++)
		(*report)();
}

static void run(const process_hook_fn *from, const process_hook_fn *to, struct process *p)
{
	for (const process_hook_fn *hook = from; hook < to; hook++)
		(*hook)(p);
}

void process_exit_hooks_run(struct process *p) { run(__process_exit_hooks_start, __process_exit_hooks_end, p); }
void process_exec_hooks_run(struct process *p) { run(__process_exec_hooks_start, __process_exec_hooks_end, p); }

void return_to_user_hooks_run(void)
{
	return_to_user_work = false;
	for (const return_to_user_fn *hook = __return_to_user_hooks_start; hook < __return_to_user_hooks_end; hook++)
		(*hook)();
}
