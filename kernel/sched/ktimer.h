/* Kernel timers: a callback run at a monotonic deadline from the timer
 * interrupt (timerfd, the console's stdin recheck, itimers). */
#ifndef SOLE_KTIMER_H
#define SOLE_KTIMER_H

#include <stdbool.h>
#include <stdint.h>

struct ktimer {
	uint64_t expires; /* monotonic ns; 0 while not armed */
	/* Runs with interrupts off, from the timer interrupt or the idle loop:
	 * it may wake threads and re-arm its own timer, but must not block. */
	void (*fire)(struct ktimer *t, uint64_t now);
	struct ktimer *next;
};

/* Arms t for expires (monotonic ns, > 0), re-arming it if it was armed. */
void ktimer_arm(struct ktimer *t, uint64_t expires);
void ktimer_cancel(struct ktimer *t);
static inline bool ktimer_armed(const struct ktimer *t) { return t->expires != 0; }

/* For the scheduler: the soonest deadline (0 for none), and running the
 * timers whose deadline is at or before now. */
uint64_t ktimer_next_deadline(void);
void ktimer_run_expired(uint64_t now);

#endif
