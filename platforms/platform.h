/* What the kernel needs from the machine it runs on: the console UART, a
 * clock source at boot, and the way out. platforms/qemu implements it for
 * QEMU's pc and microvm machines. */
#ifndef SOLE_PLATFORM_H
#define SOLE_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

void uart_init(void);
void uart_put(uint8_t byte);
bool uart_can_get(void);
uint8_t uart_get(void);

/* Masks the legacy 8259 interrupt controllers the firmware left on. */
void pic_disable(void);

/* Measuring the TSC against the PIT while the kernel does other work. */
struct pit_measurement {
	uint64_t tsc_start;
	uint16_t start_count;
	uint16_t last_count;
	uint64_t ticks;
};
bool pit_measure_start(struct pit_measurement *m);
/* Waits until at least min_ms have passed; returns the TSC's Hz, 0 if no PIT. */
uint64_t pit_measure_finish(struct pit_measurement *m, unsigned min_ms);
int64_t rtc_read_epoch_seconds(void);

void platform_poweroff(int failed) __attribute__((noreturn));

/* Finds the machine's devices of one class (PCI on pc, virtio-mmio on
 * microvm) and starts their drivers. The console's device attaches its
 * line (kernel/console.h) early in boot; a network device registers with
 * the stack (kernel/net/netdev.h), so net_start probes them once lwIP is
 * up; a volume's device registers its 9P channel (kernel/fs/ninep.h)
 * before the volumes mount at boot. Each class is probed once. */
enum device_class { DEVICES_CONSOLE, DEVICES_NETWORK, DEVICES_VOLUMES, DEVICES_ENTROPY };
void devices_probe(enum device_class class);

#endif
