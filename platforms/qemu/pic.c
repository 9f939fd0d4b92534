/* The legacy 8259 PICs: masked, so that the firmware's timer interrupt
 * never reaches the app's ring-3 code on a vector the kernel does not own. */
#include "platforms/platform.h"

#include "kernel/arch/x86_64/cpu.h"

void pic_disable(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}
