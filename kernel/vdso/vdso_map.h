/* The vDSO in the kernel: the shared clock page it reads, and its mapping
 * into an app's address space. */
#ifndef SOLE_VDSO_MAP_H
#define SOLE_VDSO_MAP_H

#include <stdint.h>

#include "kernel/vdso/vdso_data.h"

struct addrspace;

/* The clock data the kernel keeps for itself and the app's vDSO. */
struct vdso_data *vdso_data(void);
/* Maps the vvar page and the vDSO; returns the vDSO's address (for
 * AT_SYSINFO_EHDR), or 0 when there is no room. */
uint64_t vdso_map(struct addrspace *as);

#endif
