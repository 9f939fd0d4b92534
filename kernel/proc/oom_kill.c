/* The out-of-memory killer, see oom_kill.h. One victim at a time: until it
 * has ended and let go of its pages, a process that runs out again waits
 * (yields) rather than killing the next largest; if the victim takes longer
 * than VICTIM_GRACE_NS to end, the one that waits is killed instead. */
#include "kernel/proc/oom_kill.h"

#include "kernel/log.h"
#include "kernel/mm/addrspace.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signal.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"

#define VICTIM_GRACE_NS 2000000000ull

static int victim_pid;          /* the process killed last, 0 for none */
static uint64_t victim_since_ns; /* when it was killed */

static size_t resident_bytes(struct addrspace *as)
{
	size_t bytes = 0;
	for (const struct vma *v = as->vmas.head; v; v = v->next)
		bytes += as_area_pages(as, v).resident;
	return bytes;
}

/* The victim killed before, while it is still on its way out. */
static bool victim_still_ending(void)
{
	if (!victim_pid)
		return false;
	struct process *v = process_by_pid(victim_pid);
	if (v && v->state == PROCESS_EXITING && v->as)
		return true;
	victim_pid = 0;
	return false;
}

static void kill_victim(struct process *victim, size_t resident)
{
	kwarn("out of memory: killed process %d (%s) with %zu kB resident; run the app with a larger -m",
	      victim->pid, victim->exe_path ? victim->exe_path : "?", resident / 1024);
	victim_pid = victim->pid;
	victim_since_ns = time_monotonic_ns();
	process_kill_by_signal(victim, SIGKILL, NULL, "out-of-memory", "", 0);
}

void oom_kill(void)
{
	struct process *self = current_process();
	if (victim_still_ending()) {
		if (time_monotonic_ns() - victim_since_ns < VICTIM_GRACE_NS) {
			sched_yield();
			return;
		}
		kill_victim(self, resident_bytes(self->as));
	}
	struct process *largest = self;
	size_t most = resident_bytes(self->as);
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->state != PROCESS_ALIVE || !p->as || p == self)
			continue;
		size_t resident = resident_bytes(p->as);
		if (resident > most) {
			most = resident;
			largest = p;
		}
	}
	kill_victim(largest, most);
	sched_yield();
}
