/* Kernel timers, see ktimer.h: one list sorted by deadline, soonest first. */
#include "kernel/sched/ktimer.h"

#include <stddef.h>

#include "kernel/sched/sched.h"

static struct ktimer *armed;

void ktimer_cancel(struct ktimer *t)
{
	for (struct ktimer **at = &armed; *at; at = &(*at)->next)
		if (*at == t) {
			*at = t->next;
			break;
		}
	t->expires = 0;
	t->next = NULL;
}

void ktimer_arm(struct ktimer *t, uint64_t expires)
{
	ktimer_cancel(t);
	t->expires = expires;
	struct ktimer **at = &armed;
	while (*at && (*at)->expires <= expires)
		at = &(*at)->next;
	t->next = *at;
	*at = t;
	sched_timers_changed();
}

uint64_t ktimer_next_deadline(void) { return armed ? armed->expires : 0; }

void ktimer_run_expired(uint64_t now)
{
	while (armed && armed->expires <= now) {
		struct ktimer *t = armed;
		armed = t->next;
		t->next = NULL;
		t->expires = 0;
		t->fire(t, now); /* may arm t again */
	}
}
