/* The 16550 UART at COM1: the one line to the host, polled. */
#include "platforms/platform.h"

#include "kernel/arch/x86_64/cpu.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

void uart_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch: 115200 baud */
	outb(COM1 + UART_DATA, 0x01);
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03);
}

void uart_put(uint8_t byte)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + UART_DATA, byte);
}

bool uart_can_get(void) { return inb(COM1 + UART_LSR) & LSR_DATA_READY; }

uint8_t uart_get(void)
{
	while (!uart_can_get())
		cpu_relax();
	return inb(COM1 + UART_DATA);
}
