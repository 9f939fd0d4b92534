/* The IDT: every CPU exception goes to its stub in traps.S, and so do the
 * local APIC's timer and spurious vectors, the device vectors and the IPIs'. A double
 * fault runs on its own stack (IST 1) so that a blown kernel stack still
 * reports. */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu_setup.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/trap_frame.h"

struct __attribute__((packed)) idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

extern const uint64_t trap_stubs[32];
extern const uint64_t irq_stub_timer, irq_stub_spurious;
extern const uint64_t irq_stubs[TLB_FLUSH_VECTOR - IRQ_FIRST_DEVICE_VECTOR + 1];
static struct idt_gate idt[256];

static void set_gate(int vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type = 0x8e, /* present, ring 0, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void idt_init(void)
{
	for (int v = 0; v < 32; v++)
		set_gate(v, trap_stubs[v], v == 8 ? 1 : 0);
	set_gate(TIMER_VECTOR, irq_stub_timer, 0);
	for (int v = IRQ_FIRST_DEVICE_VECTOR; v <= TLB_FLUSH_VECTOR; v++)
		set_gate(v, irq_stubs[v - IRQ_FIRST_DEVICE_VECTOR], 0);
	set_gate(SPURIOUS_VECTOR, irq_stub_spurious, 0);
	idt_load();
}

void idt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = {sizeof idt - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}
