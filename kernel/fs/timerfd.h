/* timerfd objects (kernel/fs/timerfd.c): a timer read as a file. */
#ifndef SOLE_TIMERFD_H
#define SOLE_TIMERFD_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/fs/file.h"

struct timerfd;

/* A setting in nanoseconds: time to the next expiration (0: disarmed) and
 * the period (0: one-shot). */
struct timerfd_setting {
	uint64_t value, interval;
};

/* A new, disarmed timerfd on clock (checked by the caller); flags may hold
 * O_NONBLOCK. NULL when out of memory. */
struct file *timerfd_create(int clock, unsigned flags);
/* The timerfd behind f, or NULL when f is another kind of file. */
struct timerfd *timerfd_of_file(struct file *f);
struct timerfd_setting timerfd_get(struct timerfd *t);
/* Re-arms t: the count of expirations starts again at 0. With absolute,
 * value is an instant on the timer's own clock. */
void timerfd_set(struct timerfd *t, struct timerfd_setting setting, bool absolute);

#endif
