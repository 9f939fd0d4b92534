/* Switches on what the app and the kernel rely on: SSE/AVX state for the
 * app, NX, SMEP/SMAP, and the syscall instruction's MSRs. */
#include "kernel/arch/x86_64/cpu_setup.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "libc-glue/kformat.h"

struct cpu_features cpu_features;

extern char syscall_entry[];

static void enable_fpu(void)
{
	uint32_t r[4];
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(1, 0, r);
	bool has_xsave = r[2] & (1u << 26);
	cpu_features.rdrand = r[2] & (1u << 30);
	cpu_features.xsave_mask = 0;
	cpu_features.xsave_size = 512;
	if (has_xsave) {
		write_cr4(cr4 | CR4_OSXSAVE);
		uint32_t d[4];
		cpuid(0xd, 0, d);
		/* x87, SSE and AVX: what glibc looks for before it picks AVX code. */
		uint64_t mask = ((uint64_t)d[3] << 32 | d[0]) & 0x7;
		__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32)));
		cpuid(0xd, 0, d);
		cpu_features.xsave_mask = mask;
		cpu_features.xsave_size = d[1];
	} else {
		write_cr4(cr4);
	}
	__asm__ volatile("fninit");
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
}

static void enable_protections(void)
{
	uint32_t r[4];
	cpuid(7, 0, r);
	uint64_t cr4 = read_cr4() | CR4_PGE;
	cpu_features.rdseed = r[1] & (1u << 18);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20)) {
		cr4 |= CR4_SMAP;
		cpu_features.smap = true;
	}
	write_cr4(cr4);
	write_cr0(read_cr0() | CR0_WP);
}

static void enable_syscall(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
	/* sysret takes CS from STAR[63:48]+16 and SS from +8; syscall takes
	 * CS from STAR[47:32] and SS from +8. */
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8 - 3) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear TF, DF, IF, IOPL, NT and AC on entry. */
	wrmsr(MSR_FMASK, 0x47700);
}

void cpu_setup_ap(void)
{
	enable_fpu();
	enable_protections();
	enable_syscall();
}

void cpu_setup(void)
{
	cpu_setup_ap();
	libc_glue_init(cpu_features.xsave_size, cpu_features.xsave_mask);
}
