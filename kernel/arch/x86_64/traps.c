/* What happens on a CPU exception: page faults are served from the VMAs;
 * a fault inside a user-copy loop continues at its fixup; any other fault
 * in the app becomes the signal Linux would send (its handler, or the end
 * of the app); any other fault in the kernel is a panic. Every return to
 * the app passes through signal_return_to_user. */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/tlb_refresh.h"
#include "kernel/mm/tlb_shootdown.h"
#include "kernel/mm/uaccess.h"
#include "kernel/panic.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/oom_kill.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/sched/cputime.h"
#include "kernel/sched/kernel_lock.h"
#include "kernel/sched/sched.h"
#include "libc-glue/kformat.h"

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_INSN 0x10

/* si_code values for faults */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define FPE_INTDIV 1
#define FPE_FLTDIV 3
#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7
#define ILL_ILLOPN 2
#define TRAP_TRACE 2

struct exception_kind {
	const char *name;
	int signal;
	int code;      /* si_code; SI_KERNEL where Linux gives no detail */
	bool at_rip;   /* si_addr is the faulting instruction */
};

static const struct exception_kind exceptions[32] = {
	[0] = {"divide-error", SIGFPE, FPE_INTDIV, true},
	[1] = {"debug", SIGTRAP, TRAP_TRACE, true},
	[2] = {"nmi", SIGSEGV, SI_KERNEL, false},
	[3] = {"breakpoint", SIGTRAP, SI_KERNEL, false},
	[4] = {"overflow", SIGSEGV, SI_KERNEL, false},
	[5] = {"bound-range", SIGSEGV, SI_KERNEL, false},
	[6] = {"invalid-opcode", SIGILL, ILL_ILLOPN, true},
	[7] = {"device-not-available", SIGSEGV, SI_KERNEL, false},
	[8] = {"double-fault", SIGSEGV, SI_KERNEL, false},
	[10] = {"invalid-tss", SIGSEGV, SI_KERNEL, false},
	[11] = {"segment-not-present", SIGBUS, SI_KERNEL, false},
	[12] = {"stack-fault", SIGBUS, SI_KERNEL, false},
	[13] = {"general-protection", SIGSEGV, SI_KERNEL, false},
	[14] = {"page-fault", SIGSEGV, SEGV_MAPERR, false},
	[16] = {"x87-fpu-error", SIGFPE, 0, true},
	[17] = {"alignment-check", SIGBUS, BUS_ADRALN, false},
	[18] = {"machine-check", SIGBUS, SI_KERNEL, false},
	[19] = {"simd-fpu-error", SIGFPE, 0, true},
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
	struct addrspace *as = current_process()->as;
	bool write = f->error & PF_WRITE, exec = f->error & PF_INSN;
	/* Only the app's faults can race: the kernel's are taken under the
	 * kernel lock, which every change to the page tables holds. */
	if (trap_from_user(f) && as_fault_already_served(as, addr, write, exec))
		return true;
	int err = as_fault(as, addr, write, exec);
	if (err == -ENOMEM) {
		oom_kill();
		return true; /* again: the victim's pages are on their way back */
	}
	return err == 0;
}

static void describe_page_fault(const struct trap_frame *f, uint64_t addr, char *buf, size_t size)
{
	const char *access = f->error & PF_INSN ? "execute" : f->error & PF_WRITE ? "write" : "read";
	const char *why = f->error & PF_PRESENT ? "not allowed by the mapping's protection" : "unmapped address";
	ksnprintf(buf, size, "%s of %s 0x%llx", access, why, (unsigned long long)addr);
}

/* Linux's fpu__exception_code: which unmasked floating-point exception
 * fired, from the x87 status word or MXCSR. */
static int float_exception_code(uint64_t vector)
{
	uint32_t flags;
	if (vector == 19) {
		uint32_t mxcsr;
		__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
		flags = mxcsr & ~(mxcsr >> 7) & 0x3f;
	} else {
		uint16_t status, control;
		__asm__ volatile("fnstsw %0; fnstcw %1" : "=m"(status), "=m"(control));
		flags = status & ~control & 0x3f;
	}
	if (flags & 0x01)
		return FPE_FLTINV;
	if (flags & 0x04)
		return FPE_FLTDIV;
	if (flags & 0x08)
		return FPE_FLTOVF;
	if (flags & 0x12)
		return FPE_FLTUND;
	if (flags & 0x20)
		return FPE_FLTRES;
	return SI_KERNEL;
}

/* A fault in the app: the signal, si_code and si_addr Linux gives it. */
static void user_fault(struct trap_frame *f, uint64_t addr)
{
	char detail[160] = "";
	const struct exception_kind *kind = f->vector < 32 && exceptions[f->vector].name ? &exceptions[f->vector] : NULL;
	int sig = kind ? kind->signal : SIGSEGV;
	int code = kind ? kind->code : SI_KERNEL;
	uint64_t si_addr = kind && kind->at_rip ? f->rip : 0;
	if (f->vector == 14) {
		describe_page_fault(f, addr, detail, sizeof detail);
		if (addr < USER_TOP && as_past_end_of_file(current_process()->as, addr)) {
			sig = SIGBUS; /* a file mapping's page past the file's end */
			code = BUS_ADRERR;
		} else if (addr < USER_TOP && !as_check_mapped(current_process()->as, PAGE_ALIGN_DOWN(addr), 1)) {
			code = SEGV_ACCERR; /* mapped, but not for this access */
		}
		si_addr = addr;
	} else if (sig == SIGFPE && !code) {
		code = float_exception_code(f->vector);
	}
	signal_deliver_fault(f, sig, code, si_addr, exception_name(f->vector), detail);
}

static void exception(struct trap_frame *f)
{
	uint64_t addr = 0;
	if (f->vector == 14) {
		addr = read_cr2();
		if (serve_page_fault(f, addr))
			return;
	}
	if (!trap_from_user(f)) {
		uintptr_t fixup = exception_fixup(f->rip);
		if (fixup) {
			f->rip = fixup;
			return;
		}
		panic_in_trap(f, exception_name(f->vector));
	}
	user_fault(f, addr);
}

/* The kernel lock is taken on entry from the app, and by an interrupt that
 * finds this CPU idling without it; a TLB flush IPI takes no lock, as its
 * sender holds it and waits. */
void trap_handler(struct trap_frame *f)
{
	if (f->vector == TLB_FLUSH_VECTOR) {
		tlb_shootdown_serve();
		lapic_eoi();
		return;
	}
	bool from_user = trap_from_user(f);
	bool locking = from_user || !kernel_lock_held();
	if (locking)
		kernel_lock();
	if (from_user) {
		cputime_charge_user();
		tlb_refresh();
	}
	if (f->vector == TIMER_VECTOR)
		sched_timer_interrupt();
	else if (f->vector == RESCHEDULE_VECTOR)
		sched_reschedule_interrupt();
	else if (f->vector >= 32)
		irq_dispatch(f->vector);
	else
		exception(f);
	if (from_user) {
		sched_preempt_point();
		signal_return_to_user(f);
		cputime_charge_system();
	}
	if (locking)
		kernel_unlock();
}
