/* Bringing up the application processors, one at a time: the boot CPU
 * copies ap_trampoline.S below 1 MiB, leaves the AP's stack and per-CPU
 * block there, and sends INIT then STARTUP (twice, as Intel's MP start-up
 * algorithm asks, the second only if the first did not take). The AP sets
 * up its GDT, TSS, IDT, control registers and APIC timer, says it has
 * arrived, and waits in the scheduler for the kernel lock and a thread. */
#include "kernel/arch/x86_64/smp.h"

#include <string.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/madt.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page.h"
#include "kernel/mm/paging.h"
#include "kernel/sched/kernel_lock.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"

#define MSR_TSC_AUX 0xc0000103
#define IDLE_STACK_PAGES 4
#define STARTUP_RETRY_NS 200000ull  /* 200 us, then the second STARTUP */
#define ARRIVAL_TIMEOUT_NS 1000000000ull

extern char ap_trampoline_start[], ap_trampoline_end[], ap_stack_top[], ap_cpu[];

static volatile bool arrived;

/* The trampoline copy's variable that sym names in the original. */
static void *in_copy(const char *sym)
{
	return (char *)phys_to_virt(AP_TRAMPOLINE_PHYS) + (sym - ap_trampoline_start);
}

/* This CPU's number for RDTSCP and RDPID, as Linux sets it for apps that
 * read it (the vDSO's getcpu reads the GDT's CPU_NUMBER_SELECTOR). */
static void set_cpu_number(int index) { wrmsr(MSR_TSC_AUX, (uint64_t)index); }

void ap_entry(struct percpu *cpu)
{
	percpu_init_ap(cpu);
	paging_activate(paging_kernel_root());
	idt_load();
	cpu_setup_ap();
	lapic_init_ap();
	set_cpu_number(cpu->index);
	__atomic_store_n(&arrived, true, __ATOMIC_RELEASE);
	sched_run_ap();
}

/* The top of a new idle stack: where an AP comes up, and where a CPU
 * waits once it has left a thread that may not stay on it (sched.c). */
static uint64_t new_idle_stack(void)
{
	uint64_t stack = page_alloc(IDLE_STACK_PAGES);
	return stack ? (uint64_t)phys_to_virt(stack) + IDLE_STACK_PAGES * PAGE_SIZE : 0;
}

/* A fresh per-CPU block with its tables and idle stack; NULL when out of
 * memory. */
static struct percpu *new_cpu(int index, uint8_t apic_id)
{
	struct percpu *cpu = kzalloc(sizeof *cpu);
	size_t table_pages = PAGE_ALIGN_UP(percpu_tables_size()) / PAGE_SIZE;
	uint64_t tables = page_alloc(table_pages), stack_top = new_idle_stack();
	if (!cpu || !tables || !stack_top) {
		kfree(cpu);
		if (tables)
			page_free(tables, table_pages);
		if (stack_top)
			page_free(virt_to_phys((void *)(stack_top - IDLE_STACK_PAGES * PAGE_SIZE)), IDLE_STACK_PAGES);
		return NULL;
	}
	cpu->index = index;
	cpu->apic_id = apic_id;
	cpu->tables = phys_to_virt(tables);
	cpu->idle_stack_top = stack_top;
	return cpu;
}

static bool wait_arrival(uint64_t ns)
{
	uint64_t deadline = time_monotonic_ns() + ns;
	while (!__atomic_load_n(&arrived, __ATOMIC_ACQUIRE))
		if (time_monotonic_ns() >= deadline)
			return false;
	return true;
}

static bool start_ap(struct percpu *cpu)
{
	arrived = false;
	*(uint64_t *)in_copy(ap_stack_top) = cpu->idle_stack_top;
	*(uint64_t *)in_copy(ap_cpu) = (uint64_t)cpu;
	lapic_send_init(cpu->apic_id);
	lapic_send_startup(cpu->apic_id, AP_TRAMPOLINE_PHYS);
	if (wait_arrival(STARTUP_RETRY_NS))
		return true;
	lapic_send_startup(cpu->apic_id, AP_TRAMPOLINE_PHYS);
	return wait_arrival(ARRIVAL_TIMEOUT_NS);
}

void smp_start(uint64_t rsdp_phys)
{
	struct percpu *boot = this_cpu();
	boot->apic_id = lapic_id();
	set_cpu_number(0);
	uint8_t ids[MAX_CPUS];
	int listed = madt_processors(rsdp_phys, ids, MAX_CPUS);
	if (listed <= 1)
		return;
	boot->idle_stack_top = new_idle_stack();
	if (!boot->idle_stack_top) {
		kwarn("smp: out of memory; running on one CPU");
		return;
	}
	memcpy(phys_to_virt(AP_TRAMPOLINE_PHYS), ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
	kernel_lock_start_smp();
	for (int i = 0; i < listed; i++) {
		if (ids[i] == boot->apic_id)
			continue;
		struct percpu *cpu = new_cpu(cpu_count, ids[i]);
		if (!cpu) {
			kwarn("smp: out of memory starting CPU %d; running on %d", cpu_count, cpu_count);
			break;
		}
		/* Counted before it arrives: it waits for the lock, which the
		 * TLB shootdown must know. */
		cpus[cpu_count++] = cpu;
		if (!start_ap(cpu)) {
			/* Its memory stays: it might still arrive and use it. */
			kwarn("smp: the CPU with APIC ID %u did not start; running on %d", ids[i], cpu_count - 1);
			cpus[--cpu_count] = NULL;
			break;
		}
	}
	klog("smp: %d CPUs online", cpu_count);
}
