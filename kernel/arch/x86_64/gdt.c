/* The GDT, the TSS and the per-CPU block: the segments ring 3 runs in and
 * the stacks the CPU switches to when it enters the kernel. Each CPU has
 * its own GDT (its TSS descriptor differs, and ltr marks it busy), TSS and
 * double-fault stack; the boot CPU's are static, the others' allocated by
 * kernel/arch/x86_64/smp.c. */
#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/trap_frame.h"
#include "kernel/vdso/vdso_data.h"

struct __attribute__((packed)) tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

#define GDT_ENTRIES 9

struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	_Alignas(16) uint8_t double_fault_stack[8192];
};

struct percpu *cpus[MAX_CPUS];
int cpu_count;

static struct cpu_tables boot_tables;
static struct percpu boot_cpu = {.tables = &boot_tables};

/* Order matters for sysret: user data at STAR+8, user code at STAR+16. */
static const uint64_t gdt_template[GDT_ENTRIES] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0x00cffa000000ffff, /* 0x18 user code 32-bit (unused, keeps sysret's layout) */
	0x00cff2000000ffff, /* 0x20 user data */
	0x00affa000000ffff, /* 0x28 user code */
	0, 0,               /* 0x30 TSS, 16 bytes */
	0,                  /* 0x40 the CPU's number, for getcpu (CPU_NUMBER_SELECTOR) */
};

/* A present, ring-3, read-only data segment, byte-granular, whose limit is
 * the CPU's number (node 0). */
static uint64_t cpu_number_segment(int index)
{
	uint64_t limit = (uint64_t)index & 0xfff;
	return limit | (0xf1ull << 40);
}

static void load_gdt(struct cpu_tables *t, int index)
{
	memcpy(t->gdt, gdt_template, sizeof t->gdt);
	t->gdt[CPU_NUMBER_SELECTOR / 8] = cpu_number_segment(index);
	memset(&t->tss, 0, sizeof t->tss);
	t->tss.ist[0] = (uint64_t)(t->double_fault_stack + sizeof t->double_fault_stack);
	t->tss.iomap_base = sizeof t->tss;
	uint64_t base = (uint64_t)&t->tss;
	uint64_t limit = sizeof t->tss - 1;
	t->gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) | ((limit >> 16 & 0xf) << 48) |
		    ((base >> 24 & 0xff) << 56);
	t->gdt[7] = base >> 32;
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} gdtr = {sizeof t->gdt - 1, (uint64_t)t->gdt};
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

void percpu_init_ap(struct percpu *cpu)
{
	load_gdt(cpu->tables, cpu->index);
	cpu->self = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void percpu_init_boot(void)
{
	percpu_init_ap(&boot_cpu);
	cpus[0] = &boot_cpu;
	cpu_count = 1;
}

unsigned long percpu_tables_size(void) { return sizeof(struct cpu_tables); }

void percpu_set_kernel_stack(uint64_t top)
{
	struct percpu *cpu = this_cpu();
	cpu->tables->tss.rsp[0] = top;
	cpu->kernel_stack = top;
}
