/* Wait queues, see wait.h. */
#include "kernel/sched/wait.h"

#include "kernel/proc/process.h"

void wait_add(struct wait_queue *q, struct waiter *w, struct thread *t)
{
	w->thread = t;
	w->queue = q;
	w->next = NULL;
	w->prev = q->tail;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
	if (!w->bitset)
		w->bitset = ~0u;
}

void wait_remove(struct waiter *w)
{
	struct wait_queue *q = w->queue;
	if (!q)
		return;
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->queue = NULL;
}

int wait_wake(struct wait_queue *q, int count, uint32_t bits)
{
	int woken = 0;
	struct waiter *w = q->head;
	while (w && woken < count) {
		struct waiter *next = w->next;
		if (w->notify) {
			if (w->bitset & bits)
				w->notify(w, bits);
		} else if (w->bitset & bits) {
			wait_remove(w);
			sched_wake(w->thread, WAKE_EVENT);
			woken++;
		}
		w = next;
	}
	return woken;
}

enum wake_reason wait_on(struct wait_queue *q, uint64_t deadline)
{
	struct waiter w = {.bitset = ~0u};
	wait_add(q, &w, current_thread());
	enum wake_reason why = sched_block(deadline);
	wait_remove(&w);
	return why;
}
