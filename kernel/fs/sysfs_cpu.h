/* /sys/devices/system/cpu: which CPUs there are, where glibc's sysconf
 * (_SC_NPROCESSORS_ONLN and _CONF), lscpu and Python's os.cpu_count look. */
#ifndef SOLE_SYSFS_CPU_H
#define SOLE_SYSFS_CPU_H

/* With /proc, before any volume: the folders are the kernel's, never a
 * --rootfs image's. The cpuN folders follow the CPUs that came up later. */
void sysfs_cpu_populate(void);

#endif
