/* From syscall_entry to the handler in the generated table and back. An
 * unknown or unimplemented number gets -ENOSYS and one warning line per
 * distinct number; with --trace every call is logged, with
 * --syscall-summary every call is counted. */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/boot_config.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/page_stats.h"
#include "kernel/mm/tlb_refresh.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "syscalls/syscall_summary.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/kernel_lock.h"
#include "kernel/sched/sched.h"
#include "kernel/security/seccomp.h"
#include "syscalls/syscall_table.h"
#include "syscalls/trace.h"

#define NR_EXIT 60
#define NR_EXIT_GROUP 231

static uint64_t warned[(SYSCALL_COUNT + 63) / 64];
static bool warned_out_of_range;

static void warn_unimplemented(long nr)
{
	if (nr < 0 || nr >= SYSCALL_COUNT) {
		if (!warned_out_of_range)
			kwarn("syscall %ld does not exist on x86_64; it returned ENOSYS", nr);
		warned_out_of_range = true;
		return;
	}
	uint64_t bit = 1ull << (nr % 64);
	if (warned[nr / 64] & bit)
		return;
	warned[nr / 64] |= bit;
	const struct syscall_info *info = syscall_lookup(nr);
	kwarn("syscall %s (%ld) is not implemented; it returned ENOSYS", info ? info->name : "?", nr);
}

static bool canonical(uint64_t addr) { return addr < 0x800000000000ull || addr >= 0xffff800000000000ull; }

/* Returns nonzero when the return to the app must go through iretq. */
int syscall_dispatch(struct trap_frame *f)
{
	kernel_lock();
	cputime_charge_user();
	tlb_refresh();
	long nr = (long)f->rax;
	long args[6] = {(long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, (long)f->r8, (long)f->r9};
	syscall_handler handler = nr >= 0 && nr < SYSCALL_COUNT ? syscall_handlers[nr] : NULL;
	if (boot_config.trace && (nr == NR_EXIT || nr == NR_EXIT_GROUP))
		trace_syscall(nr, args, 0, false);
	if (boot_config.syscall_summary && (nr == NR_EXIT || nr == NR_EXIT_GROUP))
		syscall_summary_record(nr, 0, 0); /* counted now: it does not return */
	uint64_t started = boot_config.syscall_summary ? rdtsc() : 0;
	long ret;
	if (current_thread()->seccomp_mode && seccomp_refuses(f, &ret)) {
		/* the filters' answer stands in for the call */
	} else if (handler) {
		ret = handler(args[0], args[1], args[2], args[3], args[4], args[5]);
	} else {
		warn_unimplemented(nr);
		ret = -ENOSYS;
	}
	if (boot_config.syscall_summary)
		syscall_summary_record(nr, ret, rdtsc() - started);
	if (boot_config.trace)
		trace_syscall(nr, args, ret, true);
	f->rax = (uint64_t)ret;
	page_stats_tick();
	sched_preempt_point();
	signal_return_to_user(f); /* may restart the call, or enter a handler */
	cputime_charge_system();
	kernel_unlock();
	/* sysret reloads rip from rcx and rflags from r11: only when they still
	 * agree (no handler frame, no sigreturn, no restart) is it exact. */
	return !canonical(f->rip) || f->rcx != f->rip || f->r11 != f->rflags;
}
