/* /sys/devices/system/cpu: which CPUs there are, where glibc's sysconf
 * (_SC_NPROCESSORS_ONLN and _CONF), lscpu and Python's os.cpu_count look. */
#ifndef SOLE_SYSFS_CPU_H
#define SOLE_SYSFS_CPU_H

/* Once the CPUs are up (kernel/arch/x86_64/smp.c). */
void sysfs_cpu_populate(void);

#endif
