/* epoll-pipes: epoll on pipes, eventfd and timerfd: level, edge and
 * one-shot triggering, EPOLL_CTL errors, close, nesting and fairness. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char big[70000];

static int by_data(const void *a, const void *b)
{
	uint64_t x = ((const struct epoll_event *)a)->data.u64, y = ((const struct epoll_event *)b)->data.u64;
	return x < y ? -1 : x > y;
}

/* Waits and prints what came, sorted by data: "label: n [data:events]...". */
static void show(const char *label, int ep, int max, int timeout)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, max, timeout);
	if (n < 0) {
		printf("%s: %s\n", label, errno_name(errno));
		return;
	}
	qsort(ev, (size_t)n, sizeof ev[0], by_data);
	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%llu:%#x]", (unsigned long long)ev[i].data.u64, ev[i].events);
	printf("\n");
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

static void level_pipe(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];
	require(ep >= 0 && pipe2(p, O_NONBLOCK) == 0, "setup");
	add(ep, p[0], EPOLLIN | EPOLLRDHUP, 1);
	add(ep, p[1], EPOLLOUT, 2);
	show("level: empty", ep, 8, 0);
	write(p[1], "abc", 3);
	show("level: data", ep, 8, 0);
	show("level: again", ep, 8, 0);
	read(p[0], big, 1);
	show("level: partly read", ep, 8, 0);
	read(p[0], big, 10);
	show("level: drained", ep, 8, 0);
	write(p[1], big, sizeof big);
	show("level: full", ep, 8, 0);
	read(p[0], big, sizeof big);
	close(p[1]);
	show("level: writer closed", ep, 8, 0);
	close(p[0]);
	show("level: both closed", ep, 8, 0);
	close(ep);
}

static void edge_pipe(void)
{
	int ep = epoll_create(1), p[2];
	require(ep >= 0 && pipe2(p, O_NONBLOCK) == 0, "setup");
	add(ep, p[0], EPOLLIN | EPOLLET, 1);
	add(ep, p[1], EPOLLOUT | EPOLLET, 2);
	show("edge: start", ep, 8, 0);
	show("edge: nothing new", ep, 8, 0);
	write(p[1], "abc", 3);
	show("edge: write", ep, 8, 0);
	show("edge: no new write", ep, 8, 0);
	write(p[1], "d", 1);
	show("edge: another write", ep, 8, 0);
	read(p[0], big, 1);
	show("edge: partial read", ep, 8, 0);
	read(p[0], big, sizeof big);
	write(p[1], big, sizeof big);
	show("edge: filled", ep, 8, 0);
	read(p[0], big, 100);
	show("edge: 100 read from full", ep, 8, 0);
	read(p[0], big, 4000);
	show("edge: a slot freed", ep, 8, 0);
	close(p[1]);
	show("edge: writer closed", ep, 8, 0);
	close(p[0]);
	close(ep);
}

static void oneshot_eventfd(void)
{
	int ep = epoll_create1(0), e = eventfd(0, EFD_NONBLOCK);
	require(ep >= 0 && e >= 0, "setup");
	add(ep, e, EPOLLIN | EPOLLONESHOT, 7);
	show("oneshot: empty", ep, 8, 0);
	uint64_t one = 1, v;
	write(e, &one, sizeof one);
	show("oneshot: fired", ep, 8, 0);
	write(e, &one, sizeof one);
	show("oneshot: disarmed", ep, 8, 0);
	report("oneshot: MOD", mod(ep, e, EPOLLIN | EPOLLONESHOT, 8));
	show("oneshot: rearmed", ep, 8, 0);
	show("oneshot: disarmed again", ep, 8, 0);
	read(e, &v, sizeof v);
	report("oneshot: MOD empty", mod(ep, e, EPOLLIN | EPOLLET, 9));
	show("edge eventfd: empty", ep, 8, 0);
	write(e, &one, sizeof one);
	show("edge eventfd: write", ep, 8, 0);
	write(e, &one, sizeof one);
	show("edge eventfd: second write", ep, 8, 0);
	read(e, &v, sizeof v);
	show("edge eventfd: read", ep, 8, 0);
	report("MOD to level IN|OUT", mod(ep, e, EPOLLIN | EPOLLOUT, 10));
	show("level eventfd: writable", ep, 8, 0);
	close(e);
	close(ep);
}

static void timers(void)
{
	int ep = epoll_create1(0), t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	require(ep >= 0 && t >= 0, "setup");
	add(ep, t, EPOLLIN, 3);
	show("timerfd: unarmed", ep, 8, 0);
	struct itimerspec it = {.it_value = {0, 30 * 1000000}};
	timerfd_settime(t, 0, &it, NULL);
	show("timerfd: blocking wait", ep, 8, -1);
	show("timerfd: still level", ep, 8, 0);
	uint64_t n;
	read(t, &n, sizeof n);
	show("timerfd: read", ep, 8, 0);
	mod(ep, t, EPOLLIN | EPOLLET, 4);
	it.it_interval.tv_nsec = 10 * 1000000;
	it.it_value.tv_nsec = 10 * 1000000;
	timerfd_settime(t, 0, &it, NULL);
	show("timerfd edge: first", ep, 8, 300);
	show("timerfd edge: no read, no restart", ep, 8, 100);
	show("epoll_wait timeout 20ms", epoll_create1(0), 8, 20);
	close(t);
	close(ep);
}

static void errors(void)
{
	int ep = epoll_create1(0), p[2];
	require(ep >= 0 && pipe(p) == 0, "setup");
	struct epoll_event ev = {.events = EPOLLIN};
	report("ADD", add(ep, p[0], EPOLLIN, 1));
	report("ADD again", add(ep, p[0], EPOLLIN, 1));
	report("MOD unknown", mod(ep, p[1], EPOLLIN, 1));
	report("DEL unknown", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	report("DEL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	report("bad op", epoll_ctl(ep, 99, p[0], &ev));
	report("self", add(ep, ep, EPOLLIN, 1));
	report("not an epoll", add(p[0], p[1], EPOLLIN, 1));
	report("closed fd", add(ep, 50, EPOLLIN, 1));
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	report("directory", add(ep, dir, EPOLLIN, 1));
	int null = open("/dev/null", O_RDONLY);
	report("/dev/null", add(ep, null, EPOLLIN, 1));
	report("EXCLUSIVE", add(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	report("MOD with EXCLUSIVE", mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
	report("MOD an EXCLUSIVE item", mod(ep, p[0], EPOLLIN, 1));
	report("EXCLUSIVE with ONESHOT", add(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 1));
	struct epoll_event out[1];
	report("maxevents 0", epoll_wait(ep, out, 0, 0));
	report("wait on a pipe", epoll_wait(p[0], out, 1, 0));
	report("epoll_create 0", epoll_create(0));
	report("epoll_create1 bad flags", epoll_create1(1));
	int a = epoll_create1(0), b = epoll_create1(0);
	report("nest a in b", add(b, a, EPOLLIN, 1));
	report("nest b in a", add(a, b, EPOLLIN, 1));
	sigset_t mask;
	sigemptyset(&mask);
	report("epoll_pwait", epoll_pwait(ep, out, 1, 0, &mask));
	struct timespec zero = {0, 0};
	report("epoll_pwait2", syscall(441, ep, out, 1, &zero, NULL, 8));
	close(dir);
	close(null);
	close(a);
	close(b);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void lifetimes(void)
{
	int ep = epoll_create1(0), p[2];
	require(ep >= 0 && pipe(p) == 0, "setup");
	add(ep, p[0], EPOLLIN, 11);
	int copy = dup(p[0]);
	close(p[0]);
	write(p[1], "x", 1);
	show("closed but dup'd: still watched", ep, 8, 0);
	close(copy);
	show("last close: gone", ep, 8, 0);
	close(p[1]);

	int inner = epoll_create1(0), q[2];
	require(inner >= 0 && pipe(q) == 0, "setup");
	add(inner, q[0], EPOLLIN, 21);
	add(ep, inner, EPOLLIN, 20);
	show("nested: idle", ep, 8, 0);
	write(q[1], "y", 1);
	show("nested: outer", ep, 8, 0);
	show("nested: inner", inner, 8, 0);

	/* Level items take turns when maxevents is smaller than the ready set. */
	int r[2];
	require(pipe(r) == 0, "setup");
	int fair = epoll_create1(0);
	add(fair, q[0], EPOLLIN, 31);
	write(r[1], "z", 1);
	add(fair, r[0], EPOLLIN, 32);
	show("fair: first", fair, 1, 0);
	show("fair: second", fair, 1, 0);
	show("fair: third", fair, 1, 0);
	close(fair);
	close(inner);
	close(ep);
}

int main(void)
{
	level_pipe();
	edge_pipe();
	oneshot_eventfd();
	timers();
	errors();
	lifetimes();
	return 0;
}
