/* What happens on a CPU exception: page faults are served from the VMAs;
 * a fault inside a user-copy loop continues at its fixup; any other fault
 * in the app kills it with the signal Linux would send; any other fault in
 * the kernel is a panic. */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/panic.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "libc-glue/kformat.h"

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_INSN 0x10

#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11

struct exception_kind {
	const char *name;
	int signal;
};

static const struct exception_kind exceptions[32] = {
	[0] = {"divide-error", SIGFPE},         [1] = {"debug", SIGTRAP},
	[2] = {"nmi", SIGSEGV},                 [3] = {"breakpoint", SIGTRAP},
	[4] = {"overflow", SIGSEGV},            [5] = {"bound-range", SIGSEGV},
	[6] = {"invalid-opcode", SIGILL},       [7] = {"device-not-available", SIGSEGV},
	[8] = {"double-fault", SIGSEGV},        [10] = {"invalid-tss", SIGSEGV},
	[11] = {"segment-not-present", SIGBUS}, [12] = {"stack-fault", SIGBUS},
	[13] = {"general-protection", SIGSEGV}, [14] = {"page-fault", SIGSEGV},
	[16] = {"x87-fpu-error", SIGFPE},       [17] = {"alignment-check", SIGBUS},
	[18] = {"machine-check", SIGBUS},       [19] = {"simd-fpu-error", SIGFPE},
};

static const char *exception_name(uint64_t vector)
{
	return vector < 32 && exceptions[vector].name ? exceptions[vector].name : "reserved-exception";
}

/* True when the fault was served and the instruction can run again. */
static bool serve_page_fault(struct trap_frame *f, uint64_t addr)
{
	if (addr >= USER_TOP || !this_cpu()->current)
		return false;
	/* as_fault serves only what a retry will get past: a missing page or
	 * a copy-on-write; SMAP and protection faults fall through to the
	 * copy's fixup or to a signal. */
	int err = as_fault(current_process()->as, addr, f->error & PF_WRITE, f->error & PF_INSN);
	if (err == -ENOMEM) {
		kwarn("out of memory: the app needs more memory than the VM has; run it with a larger -m");
		process_kill_by_signal(current_process(), SIGKILL, NULL, "out-of-memory", "", addr);
	}
	return err == 0;
}

static void describe_page_fault(const struct trap_frame *f, uint64_t addr, char *buf, size_t size)
{
	const char *access = f->error & PF_INSN ? "execute" : f->error & PF_WRITE ? "write" : "read";
	const char *why = f->error & PF_PRESENT ? "not allowed by the mapping's protection" : "unmapped address";
	ksnprintf(buf, size, "%s of %s 0x%llx", access, why, (unsigned long long)addr);
}

/* Interrupts: the timer may end the running thread's slice. */
static void interrupt(struct trap_frame *f)
{
	if (f->vector == TIMER_VECTOR)
		sched_timer_interrupt();
	if (trap_from_user(f))
		sched_preempt_point();
}

void trap_handler(struct trap_frame *f)
{
	uint64_t addr = 0;
	if (f->vector >= 32) {
		interrupt(f);
		return;
	}
	if (f->vector == 14) {
		addr = read_cr2();
		if (serve_page_fault(f, addr)) {
			if (trap_from_user(f))
				sched_preempt_point();
			return;
		}
	}
	if (!trap_from_user(f)) {
		uintptr_t fixup = exception_fixup(f->rip);
		if (fixup) {
			f->rip = fixup;
			return;
		}
		panic_in_trap(f, exception_name(f->vector));
	}
	char detail[160] = "";
	if (f->vector == 14)
		describe_page_fault(f, addr, detail, sizeof detail);
	int sig = f->vector < 32 && exceptions[f->vector].signal ? exceptions[f->vector].signal : SIGSEGV;
	process_kill_by_signal(current_process(), sig, f, exception_name(f->vector), detail, addr);
}
