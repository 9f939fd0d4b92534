/* The local APIC in xAPIC mode, reached through an uncached mapping of its
 * registers; its timer runs one-shot, rearmed by the scheduler. */
#include "kernel/arch/x86_64/lapic.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/panic.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_PHYS 0xfee00000ull

#define REG_ID 0x20
#define REG_EOI 0xb0
#define REG_SPURIOUS 0xf0
#define REG_TIMER_LVT 0x320
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0
#define LVT_MASKED (1u << 16)
#define REG_ICR_LOW 0x300
#define REG_ICR_HIGH 0x310
#define ICR_PENDING (1u << 12)
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_ASSERT (1u << 14)

static volatile uint32_t *apic;
static uint64_t ticks_per_ms;

static uint32_t read_reg(unsigned reg) { return apic[reg / 4]; }
static void write_reg(unsigned reg, uint32_t v) { apic[reg / 4] = v; }

/* Every CPU's APIC sits at the same address; each sees its own. */
static void enable(void)
{
	wrmsr(MSR_APIC_BASE, (rdmsr(MSR_APIC_BASE) & ~0xfffull) | APIC_BASE_ENABLE);
	write_reg(REG_SPURIOUS, 0x100 | SPURIOUS_VECTOR);
	write_reg(REG_TIMER_DIVIDE, 0x3); /* divide by 16 */
}

void lapic_start_calibration(void)
{
	apic = paging_map_device(APIC_PHYS, 0x400);
	if (!apic)
		panic("out of memory mapping the local APIC");
	enable();
	write_reg(REG_TIMER_LVT, LVT_MASKED | TIMER_VECTOR);
	write_reg(REG_TIMER_INITIAL, 0xffffffff);
}

/* The APs' timers tick at the boot CPU's measured rate: one clock drives
 * them all. */
void lapic_init_ap(void)
{
	enable();
	write_reg(REG_TIMER_INITIAL, 0);
	write_reg(REG_TIMER_LVT, TIMER_VECTOR);
}

void lapic_finish_calibration(uint64_t elapsed_ns)
{
	uint32_t elapsed = 0xffffffff - read_reg(REG_TIMER_CURRENT);
	write_reg(REG_TIMER_INITIAL, 0);
	ticks_per_ms = elapsed_ns ? (uint64_t)elapsed * 1000000 / elapsed_ns : 0;
	if (ticks_per_ms == 0)
		panic("the local APIC timer does not count");
	write_reg(REG_TIMER_LVT, TIMER_VECTOR); /* one-shot, unmasked */
	klog("lapic: timer at %llu ticks/ms", (unsigned long long)ticks_per_ms);
}

void lapic_timer_arm(uint64_t ns)
{
	if (!ns) {
		write_reg(REG_TIMER_INITIAL, 0);
		return;
	}
	uint64_t ticks = ns * ticks_per_ms / 1000000;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	write_reg(REG_TIMER_INITIAL, (uint32_t)ticks);
}

void lapic_eoi(void) { write_reg(REG_EOI, 0); }

uint8_t lapic_id(void) { return read_reg(REG_ID) >> 24; }

static void send_command(uint8_t apic_id, uint32_t command)
{
	write_reg(REG_ICR_HIGH, (uint32_t)apic_id << 24);
	write_reg(REG_ICR_LOW, command);
	while (read_reg(REG_ICR_LOW) & ICR_PENDING)
		cpu_relax();
}

void lapic_send_ipi(uint8_t apic_id, uint8_t vector) { send_command(apic_id, vector); }

void lapic_send_init(uint8_t apic_id) { send_command(apic_id, ICR_INIT | ICR_ASSERT); }

void lapic_send_startup(uint8_t apic_id, uint64_t start_phys)
{
	send_command(apic_id, ICR_STARTUP | ICR_ASSERT | (uint32_t)(start_phys >> 12));
}
