/* Device interrupt vectors: allocation and dispatch, see irq.h. */
#include "kernel/arch/x86_64/irq.h"

#include <stddef.h>

#include "kernel/arch/x86_64/lapic.h"
#include "kernel/errno.h"
#include "kernel/log.h"

static struct {
	irq_handler handler;
	void *arg;
} vectors[IRQ_LAST_DEVICE_VECTOR + 1];

int irq_allocate(irq_handler handler, void *arg)
{
	for (int v = IRQ_FIRST_DEVICE_VECTOR; v <= IRQ_LAST_DEVICE_VECTOR; v++) {
		if (!vectors[v].handler) {
			vectors[v].handler = handler;
			vectors[v].arg = arg;
			return v;
		}
	}
	return -ENOSPC;
}

void irq_free(int vector)
{
	if (vector >= IRQ_FIRST_DEVICE_VECTOR && vector <= IRQ_LAST_DEVICE_VECTOR)
		vectors[vector].handler = NULL;
}

void irq_dispatch(unsigned vector)
{
	/* A spurious interrupt is not in service: it takes no EOI. */
	if (vector == SPURIOUS_VECTOR)
		return;
	if (vector <= IRQ_LAST_DEVICE_VECTOR && vectors[vector].handler)
		vectors[vector].handler(vectors[vector].arg);
	else
		klog("irq: vector %u has no handler", vector);
	lapic_eoi();
}
