/* The GDT, the TSS and the per-CPU block: the segments ring 3 runs in and
 * the stacks the CPU switches to when it enters the kernel. */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/trap_frame.h"

struct __attribute__((packed)) tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

static struct tss tss;
static struct percpu cpu0;
static _Alignas(16) uint8_t double_fault_stack[8192];

/* Order matters for sysret: user data at STAR+8, user code at STAR+16. */
static uint64_t gdt[] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0x00cffa000000ffff, /* 0x18 user code 32-bit (unused, keeps sysret's layout) */
	0x00cff2000000ffff, /* 0x20 user data */
	0x00affa000000ffff, /* 0x28 user code */
	0, 0,               /* 0x30 TSS, 16 bytes */
};

static void load_gdt(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof tss - 1;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) | ((limit >> 16 & 0xf) << 48) |
		 ((base >> 24 & 0xff) << 56);
	gdt[7] = base >> 32;
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} gdtr = {sizeof gdt - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0\n"
			 "pushq %1\n"
			 "leaq 1f(%%rip), %%rax\n"
			 "pushq %%rax\n"
			 "lretq\n"
			 "1: mov %2, %%ax\n"
			 "mov %%ax, %%ds\n"
			 "mov %%ax, %%es\n"
			 "mov %%ax, %%ss\n"
			 "ltr %w3\n"
			 :
			 : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SELECTOR)
			 : "rax", "memory");
}

void percpu_init(void)
{
	memset(&tss, 0, sizeof tss);
	tss.ist[0] = (uint64_t)(double_fault_stack + sizeof double_fault_stack);
	tss.iomap_base = sizeof tss;
	load_gdt();
	cpu0.self = &cpu0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_set_kernel_stack(uint64_t top)
{
	tss.rsp[0] = top;
	this_cpu()->kernel_stack = top;
}
