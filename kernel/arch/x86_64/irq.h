/* Device interrupts: the vectors between the APIC timer's and the spurious
 * one, each handed to one driver's handler. Handlers run with interrupts
 * off, on whatever kernel stack the CPU was using (ring 3's thread, or the
 * idle loop), and may wake threads but never block. */
#ifndef SOLE_IRQ_H
#define SOLE_IRQ_H

#define IRQ_FIRST_DEVICE_VECTOR 0x21
#define IRQ_LAST_DEVICE_VECTOR 0xfc /* then the IPIs' (lapic.h) */

typedef void (*irq_handler)(void *arg);

/* Gives a free vector to handler(arg). Returns the vector, or -ENOSPC
 * when every vector is taken. */
int irq_allocate(irq_handler handler, void *arg);
/* Takes the vector back, once nothing can raise it any more. */
void irq_free(int vector);

/* From trap_handler, for a device or spurious vector: runs its handler and
 * signals the end of the interrupt to the local APIC. */
void irq_dispatch(unsigned vector);

#endif
