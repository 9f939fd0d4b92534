/* The tap device of `sole run --net tap:NAME`, opened by sole and handed to
 * QEMU as an open fd: QEMU then needs no CAP_NET_ADMIN, and can run as an
 * unprivileged user under its sandbox. */
#ifndef SOLE_TAP_DEVICE_H
#define SOLE_TAP_DEVICE_H

/* Attaches to the existing tap device name. Returns its fd (close-on-exec),
 * or -1 after printing why it could not. */
int tap_device_open(const char *name);

#endif
