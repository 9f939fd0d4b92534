/* Durations and instants the app passes as struct timespec: read, checked
 * (Linux's EINVAL rules) and turned into nanoseconds in one place. */
#ifndef SOLE_TIMESPEC_H
#define SOLE_TIMESPEC_H

#include <linux/time_types.h>
#include <stdint.h>

#define NSEC_PER_SEC_U64 1000000000ull

/* A timespec already in the kernel: 0 and *ns, or -EINVAL. */
int timespec_to_ns(const struct __kernel_timespec *t, uint64_t *ns);
struct __kernel_timespec timespec_from_ns(uint64_t ns);
/* One from the app: 0 and *ns, -EFAULT or -EINVAL. */
int timespec_from_user(const struct __kernel_timespec *user, uint64_t *ns);
/* The monotonic deadline (the clock threads sleep by) at which the
 * realtime clock reaches abs_ns: now when that has passed. */
uint64_t deadline_at_realtime(uint64_t abs_ns);

#endif
