/* The x86_64 rt_sigframe, see sigframe.h: the handler's return address
 * (sa_restorer), a ucontext with every register, and siginfo, above the FPU
 * state in xsave layout with Linux's magic numbers, so that glibc, musl and
 * Go read and change it as they do on Linux. */
#include "kernel/arch/x86_64/sigframe.h"

#include <stddef.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/errno.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/uaccess.h"
#include "kernel/proc/process.h"

#define NR_RESTART_SYSCALL 219
#define SYSCALL_INSN_LEN 2
#define RED_ZONE 128

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define FXSAVE_SIZE 512
#define XSAVE_HEADER_SIZE 64
#define XFEATURES_FP_SSE 0x3

/* The flags the app may change through the frame, as Linux's FIX_EFLAGS. */
#define RFLAGS_USER_CHANGEABLE 0x50dd5ul /* CF PF AF ZF SF TF DF OF AC RF */
#define RFLAGS_TF (1ul << 8)
#define RFLAGS_DF (1ul << 10)
#define RFLAGS_RF (1ul << 16)

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, rflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* the app's address of the FPU state */
	uint64_t reserved[8];
};

struct ucontext {
	uint64_t flags;
	uint64_t link;
	struct signal_stack stack;
	struct sigcontext mcontext;
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t return_address; /* sa_restorer, popped by the handler's ret */
	struct ucontext uc;
	struct signal_info info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "Linux's struct sigcontext");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "Linux's struct rt_sigframe");

/* Bytes 464..511 of the legacy area, which xsave leaves alone: they tell
 * the app (and sigreturn) that an extended state follows. */
struct fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size; /* xstate_size + the 4 bytes of MAGIC2 */
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};
#define SW_BYTES_OFFSET 464
#define MXCSR_OFFSET 24
#define MXCSR_MASK_OFFSET 28

static bool use_xsave(void) { return cpu_features.xsave_mask != 0; }
static uint32_t fpu_state_size(void) { return use_xsave() ? cpu_features.xsave_size : FXSAVE_SIZE; }
/* What the frame holds for the FPU: the state, and MAGIC2 after it. */
static uint32_t fpu_frame_size(void) { return fpu_state_size() + (use_xsave() ? 4 : 0); }

static void fpu_save_to(void *area)
{
	uint64_t mask = cpu_features.xsave_mask;
	if (mask)
		__asm__ volatile("xsave64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
		                 : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static void fpu_load_from(const void *area)
{
	uint64_t mask = cpu_features.xsave_mask;
	if (mask)
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
		                 : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/* The MXCSR bits this CPU accepts: loading any other one faults. */
static uint32_t mxcsr_mask(void *scratch)
{
	static uint32_t mask;
	if (!mask) {
		__asm__ volatile("fxsave64 (%0)" ::"r"(scratch) : "memory");
		memcpy(&mask, (uint8_t *)scratch + MXCSR_MASK_OFFSET, 4);
		if (!mask)
			mask = 0xffbf; /* the architectural default */
	}
	return mask;
}

/* The handler starts with the FPU in its initial state, as on Linux. */
static void fpu_reset(void *scratch)
{
	memset(scratch, 0, FXSAVE_SIZE + XSAVE_HEADER_SIZE);
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(scratch, &fcw, sizeof fcw);
	memcpy((uint8_t *)scratch + MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
	fpu_load_from(scratch); /* xstate_bv 0: every component to its initial state */
}

/* The thread's own FPU area serves as scratch: it holds nothing while the
 * thread runs (the scheduler fills it only when switching away). */
static int fpu_push(uint64_t user_fp)
{
	void *scratch = current_thread()->fpu_area;
	fpu_save_to(scratch);
	if (use_xsave()) {
		struct fpx_sw_bytes sw = {
		    .magic1 = FP_XSTATE_MAGIC1,
		    .extended_size = fpu_frame_size(),
		    .xfeatures = cpu_features.xsave_mask,
		    .xstate_size = fpu_state_size(),
		};
		memcpy((uint8_t *)scratch + SW_BYTES_OFFSET, &sw, sizeof sw);
	} else {
		memset((uint8_t *)scratch + SW_BYTES_OFFSET, 0, sizeof(struct fpx_sw_bytes));
	}
	if (copy_to_user((void *)user_fp, scratch, fpu_state_size()))
		return -EFAULT;
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	if (use_xsave() && copy_to_user((void *)(user_fp + fpu_state_size()), &magic2, sizeof magic2))
		return -EFAULT;
	fpu_reset(scratch);
	return 0;
}

/* Loads the FPU state the app left at user_fp (0: the initial state). What
 * the CPU would refuse (reserved MXCSR bits, unknown components, a
 * compacted header) is cleaned first, so xrstor cannot fault. */
static int fpu_pop(uint64_t user_fp)
{
	void *scratch = current_thread()->fpu_area;
	uint32_t cpu_mxcsr_mask = mxcsr_mask(scratch);
	if (!user_fp) {
		fpu_reset(scratch);
		return 0;
	}
	if (copy_from_user(scratch, (const void *)user_fp, fpu_state_size()))
		return -EFAULT;
	uint32_t mxcsr;
	memcpy(&mxcsr, (uint8_t *)scratch + MXCSR_OFFSET, sizeof mxcsr);
	mxcsr &= cpu_mxcsr_mask;
	memcpy((uint8_t *)scratch + MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
	if (!use_xsave())
		return 0;
	struct fpx_sw_bytes sw;
	memcpy(&sw, (uint8_t *)scratch + SW_BYTES_OFFSET, sizeof sw);
	uint32_t magic2 = 0;
	bool extended = sw.magic1 == FP_XSTATE_MAGIC1 && sw.xstate_size == fpu_state_size() &&
	                sw.extended_size == fpu_frame_size() &&
	                !copy_from_user(&magic2, (const void *)(user_fp + sw.xstate_size), sizeof magic2) &&
	                magic2 == FP_XSTATE_MAGIC2;
	uint8_t *header = (uint8_t *)scratch + FXSAVE_SIZE;
	uint64_t xstate_bv;
	memcpy(&xstate_bv, header, sizeof xstate_bv);
	/* Without the magic numbers only the legacy area is the app's. */
	xstate_bv &= cpu_features.xsave_mask & (extended ? sw.xfeatures : XFEATURES_FP_SSE);
	memset(header, 0, XSAVE_HEADER_SIZE);
	memcpy(header, &xstate_bv, sizeof xstate_bv);
	fpu_load_from(scratch);
	return 0;
}

static bool canonical(uint64_t addr) { return addr < 0x800000000000ull || addr >= 0xffff800000000000ull; }

/* Where the frame goes, as Linux's get_sigframe: below the red zone, or at
 * the top of the alternate stack; the FPU state 64-byte aligned above the
 * frame; the frame itself placed as if a call had pushed its return
 * address. 0 when it would overflow the alternate stack. */
static uint64_t frame_address(const struct trap_frame *f, const struct k_sigaction *ka, uint64_t *fpstate)
{
	struct thread *t = current_thread();
	bool nested = signal_on_altstack(t, f->rsp);
	bool entering = false;
	uint64_t sp = f->rsp - RED_ZONE;
	if ((ka->flags & SA_ONSTACK) && t->altstack_size && !(t->altstack_flags & SS_DISABLE) &&
	    !signal_on_altstack(t, sp)) {
		sp = t->altstack_sp + t->altstack_size;
		entering = true;
	}
	sp = (sp - fpu_frame_size()) & ~63ull;
	*fpstate = sp;
	sp -= sizeof(struct rt_sigframe);
	sp = (sp & ~15ull) - 8;
	if ((nested || entering) && !(sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size))
		return 0;
	return sp;
}

int sigframe_push(struct trap_frame *f, const struct k_sigaction *ka, const struct signal_info *info, uint64_t mask)
{
	struct thread *t = current_thread();
	if (!(ka->flags & SA_RESTORER))
		return -EFAULT; /* x86_64 has no default trampoline */
	uint64_t fpstate;
	uint64_t at = frame_address(f, ka, &fpstate);
	if (!at || at >= USER_TOP)
		return -EFAULT;
	bool exception = f->vector < 32;
	struct rt_sigframe frame = {
	    .return_address = ka->restorer,
	    .uc =
	        {
	            .flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (use_xsave() ? UC_FP_XSTATE : 0),
	            .stack = {.sp = t->altstack_sp,
	                      .flags = t->altstack_size ? (int32_t)t->altstack_flags : SS_DISABLE,
	                      .size = t->altstack_size},
	            .mcontext =
	                {
	                    .r8 = f->r8,
	                    .r9 = f->r9,
	                    .r10 = f->r10,
	                    .r11 = f->r11,
	                    .r12 = f->r12,
	                    .r13 = f->r13,
	                    .r14 = f->r14,
	                    .r15 = f->r15,
	                    .rdi = f->rdi,
	                    .rsi = f->rsi,
	                    .rbp = f->rbp,
	                    .rbx = f->rbx,
	                    .rdx = f->rdx,
	                    .rax = f->rax,
	                    .rcx = f->rcx,
	                    .rsp = f->rsp,
	                    .rip = f->rip,
	                    .rflags = f->rflags,
	                    .cs = USER_CS,
	                    .ss = USER_DS,
	                    .err = exception ? f->error : 0,
	                    .trapno = exception ? f->vector : 0,
	                    .oldmask = mask,
	                    .cr2 = f->vector == 14 ? info->fault.addr : 0,
	                    .fpstate = fpstate,
	                },
	            .sigmask = mask,
	        },
	    .info = *info,
	};
	if (copy_to_user((void *)at, &frame, sizeof frame) || fpu_push(fpstate))
		return -EFAULT;
	if (t->altstack_flags & SS_AUTODISARM) {
		t->altstack_sp = t->altstack_size = 0;
		t->altstack_flags = SS_DISABLE;
	}
	f->rdi = (uint64_t)info->signo;
	f->rsi = at + offsetof(struct rt_sigframe, info);
	f->rdx = at + offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rsp = at;
	f->rip = ka->handler;
	f->rflags &= ~(RFLAGS_DF | RFLAGS_RF | RFLAGS_TF);
	f->cs = USER_CS;
	f->ss = USER_DS;
	return 0;
}

int sigframe_pop(struct trap_frame *f, uint64_t *mask, struct signal_stack *stack)
{
	uint64_t at = f->rsp - sizeof(uint64_t); /* the handler's ret popped the return address */
	struct ucontext uc;
	if (copy_from_user(&uc, (const void *)(at + offsetof(struct rt_sigframe, uc)), sizeof uc))
		return -EFAULT;
	const struct sigcontext *sc = &uc.mcontext;
	if (!canonical(sc->rip))
		return -EFAULT;
	if (fpu_pop(sc->fpstate))
		return -EFAULT;
	f->r8 = sc->r8, f->r9 = sc->r9, f->r10 = sc->r10, f->r11 = sc->r11;
	f->r12 = sc->r12, f->r13 = sc->r13, f->r14 = sc->r14, f->r15 = sc->r15;
	f->rdi = sc->rdi, f->rsi = sc->rsi, f->rbp = sc->rbp, f->rbx = sc->rbx;
	f->rdx = sc->rdx, f->rax = sc->rax, f->rcx = sc->rcx, f->rsp = sc->rsp;
	f->rip = sc->rip;
	f->rflags = (f->rflags & ~RFLAGS_USER_CHANGEABLE) | (sc->rflags & RFLAGS_USER_CHANGEABLE);
	f->cs = USER_CS;
	f->ss = USER_DS;
	f->error = (uint64_t)-1; /* no longer in a syscall: nothing to restart */
	*mask = uc.sigmask;
	*stack = uc.stack;
	return 0;
}

long syscall_restart_code(const struct trap_frame *f)
{
	if (f->vector != SYSCALL_VECTOR || (int64_t)f->error < 0)
		return 0;
	long ret = (long)f->rax;
	switch (-ret) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		return ret;
	default:
		return 0;
	}
}

void syscall_rerun(struct trap_frame *f, bool through_restart_syscall)
{
	f->rax = through_restart_syscall ? NR_RESTART_SYSCALL : f->error;
	f->rip -= SYSCALL_INSN_LEN;
}

void syscall_set_result(struct trap_frame *f, long result) { f->rax = (uint64_t)result; }
