/* eventfd-timerfd: eventfd's counter and semaphore modes and its limits;
 * timerfd's one-shot, interval and absolute timers, counted within
 * generous bounds so that a slow machine still agrees. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static long read_u64(int fd, uint64_t *v) { return read(fd, v, sizeof *v); }
static long write_u64(int fd, uint64_t v) { return write(fd, &v, sizeof v); }

static void show_read(const char *label, int fd)
{
	uint64_t v = 0;
	long n = read_u64(fd, &v);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %llu\n", label, (unsigned long long)v);
}

static int readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
	poll(&p, 1, 0);
	return p.revents;
}

static void eventfd_counter(void)
{
	int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
	require(fd >= 0, "eventfd");
	printf("cloexec: %d nonblock: %d\n", fcntl(fd, F_GETFD), !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	printf("poll initial: %#x\n", readable(fd));
	report_value("write 4", write_u64(fd, 4));
	show_read("read all", fd);
	show_read("read empty", fd);
	printf("poll empty: %#x\n", readable(fd));
	report_value("write max-1", write_u64(fd, UINT64_MAX - 1));
	printf("poll full: %#x\n", readable(fd));
	report_value("write 1 more", write_u64(fd, 1));
	report_value("write UINT64_MAX", write_u64(fd, UINT64_MAX));
	uint32_t small;
	report_value("short read", read(fd, &small, sizeof small));
	report_value("short write", write(fd, &small, sizeof small));
	show_read("read max-1", fd);
	close(fd);
}

static void eventfd_semaphore(void)
{
	int fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	require(fd >= 0, "eventfd semaphore");
	report_value("write 1", write_u64(fd, 1));
	show_read("take 1", fd);
	show_read("take 2", fd);
	show_read("take 3", fd);
	show_read("take 4", fd);
	report_value("bad flags", eventfd(0, 0x4000000));
	close(fd);
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void timerfd_one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	require(fd >= 0, "timerfd_create");
	show_read("unarmed read", fd);
	struct itimerspec it = {.it_value = {0, 50 * 1000000}}, cur;
	/* taken before arming: a busy host may pause the VM between the two */
	long long start = now_ns();
	require(timerfd_settime(fd, 0, &it, NULL) == 0, "settime");
	require(timerfd_gettime(fd, &cur) == 0, "gettime");
	printf("armed: left in (0, 50ms]: %s\n",
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 50000000 ? "yes" : "no");
	struct pollfd p = {.fd = fd, .events = POLLIN};
	report_value("poll until it fires", poll(&p, 1, 10000));
	printf("waited at least 45ms: %s\n", now_ns() - start >= 45000000 ? "yes" : "no");
	show_read("expirations", fd);
	require(timerfd_gettime(fd, &cur) == 0, "gettime");
	printf("disarmed after: %s\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0 ? "yes" : "no");
	close(fd);
}

static void timerfd_interval(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME, 0);
	require(fd >= 0, "timerfd_create boottime");
	struct itimerspec it = {.it_value = {0, 20 * 1000000}, .it_interval = {0, 20 * 1000000}}, old;
	require(timerfd_settime(fd, 0, &it, NULL) == 0, "settime interval");
	uint64_t first = 0, later = 0;
	read_u64(fd, &first); /* blocks until the first expiration */
	struct timespec pause = {0, 200 * 1000000};
	nanosleep(&pause, NULL);
	read_u64(fd, &later);
	printf("first read >= 1: %s\n", first >= 1 ? "yes" : "no");
	printf("after 200ms at 20ms: between 5 and 60: %s\n", later >= 5 && later <= 60 ? "yes" : "no");
	struct itimerspec off = {0};
	require(timerfd_settime(fd, 0, &off, &old) == 0, "disarm");
	printf("old interval: %ld ns\n", old.it_interval.tv_nsec);
	close(fd);
}

static void timerfd_absolute(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	require(fd >= 0, "timerfd_create realtime");
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct itimerspec past = {.it_value = {now.tv_sec - 10, 0}};
	require(timerfd_settime(fd, TFD_TIMER_ABSTIME, &past, NULL) == 0, "settime past");
	struct pollfd p = {.fd = fd, .events = POLLIN};
	report_value("poll past deadline", poll(&p, 1, 5000));
	show_read("expirations", fd);
	report_value("bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	report_value("bad flags", timerfd_settime(fd, 0x10, &past, NULL));
	struct itimerspec bad = {.it_value = {0, 1000000000}};
	report_value("bad nsec", timerfd_settime(fd, 0, &bad, NULL));
	report_value("settime on an eventfd", timerfd_settime(eventfd(0, 0), 0, &past, NULL));
	char c;
	report_value("short read", read(fd, &c, 1));
	close(fd);
}

int main(void)
{
	eventfd_counter();
	eventfd_semaphore();
	timerfd_one_shot();
	timerfd_interval();
	timerfd_absolute();
	return 0;
}
