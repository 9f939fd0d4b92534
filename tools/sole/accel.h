/* Chooses QEMU's accelerator: KVM only where it can really help, else TCG. */
#ifndef SOLE_ACCEL_H
#define SOLE_ACCEL_H

#include <stdbool.h>

#include "run_options.h"

enum accel_kind { ACCEL_KIND_TCG, ACCEL_KIND_KVM };

/* True when the "flags" lines of a /proc/cpuinfo text name vmx or svm. */
bool cpuinfo_has_virtualization(const char *cpuinfo);

/* Resolves --accel. Returns 0, or prints why kvm cannot be used and returns
 * the exit status. */
int accel_choose(enum accel_request request, enum accel_kind *chosen);

#endif
