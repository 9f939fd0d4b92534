/* The id tables, see pid.h. 1,024 buckets each: a VM runs tens to a few
 * thousand threads and processes, so chains stay short. */
#include "kernel/proc/pid.h"

#include "kernel/errno.h"
#include "kernel/proc/process.h"

#define BUCKETS 1024

static struct thread *threads[BUCKETS];
static struct process *processes[BUCKETS];
static struct process *list_head, *list_tail;
static int count;
static int next_nr = 1;
unsigned long pid_max = PID_MAX;
static bool wrapped; /* numbers are reused: check groups and sessions too */

static unsigned bucket(int nr) { return (unsigned)nr % BUCKETS; }

struct thread *thread_by_tid(int tid)
{
	for (struct thread *t = threads[bucket(tid)]; t; t = t->tid_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct process *process_by_pid(int pid)
{
	for (struct process *p = processes[bucket(pid)]; p; p = p->pid_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static bool used_by_group_or_session(int nr)
{
	for (struct process *p = list_head; p; p = p->list_next)
		if (p->pgid == nr || p->sid == nr)
			return true;
	return false;
}

static bool taken(int nr)
{
	return thread_by_tid(nr) || process_by_pid(nr) || (wrapped && used_by_group_or_session(nr));
}

int pid_alloc(void)
{
	for (unsigned long tries = 0; tries < pid_max; tries++) {
		int nr = next_nr;
		if ((unsigned long)++next_nr >= pid_max) {
			next_nr = PID_MIN;
			wrapped = true;
		}
		if (!taken(nr))
			return nr;
	}
	return -EAGAIN;
}

void pid_add_thread(struct thread *t)
{
	struct thread **head = &threads[bucket(t->tid)];
	t->tid_next = *head;
	*head = t;
}

void pid_remove_thread(struct thread *t)
{
	for (struct thread **at = &threads[bucket(t->tid)]; *at; at = &(*at)->tid_next)
		if (*at == t) {
			*at = t->tid_next;
			return;
		}
}

void pid_add_process(struct process *p)
{
	struct process **head = &processes[bucket(p->pid)];
	p->pid_next = *head;
	*head = p;
	p->list_prev = list_tail;
	p->list_next = NULL;
	if (list_tail)
		list_tail->list_next = p;
	else
		list_head = p;
	list_tail = p;
	count++;
}

void pid_remove_process(struct process *p)
{
	for (struct process **at = &processes[bucket(p->pid)]; *at; at = &(*at)->pid_next)
		if (*at == p) {
			*at = p->pid_next;
			break;
		}
	if (p->list_prev)
		p->list_prev->list_next = p->list_next;
	else
		list_head = p->list_next;
	if (p->list_next)
		p->list_next->list_prev = p->list_prev;
	else
		list_tail = p->list_prev;
	count--;
}

struct process *process_first(void) { return list_head; }
struct process *process_next(const struct process *p) { return p->list_next; }
int process_count(void) { return count; }
