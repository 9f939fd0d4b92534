/* Device discovery: PCI on pc, virtio-mmio on microvm. */
#include "platforms/platform.h"

void devices_probe(void) {}
