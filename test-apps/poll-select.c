/* poll-select: poll, ppoll, select and pselect on pipes: readable, writable,
 * hang-up, error, invalid descriptors and timeouts. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static char big[70000];

static void show_poll(const char *label, int rfd, int wfd)
{
	struct pollfd p[2] = {{.fd = rfd, .events = POLLIN}, {.fd = wfd, .events = POLLOUT}};
	int n = poll(p, 2, 0);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %d read=%#x write=%#x\n", label, n, p[0].revents, p[1].revents);
}

static void show_select(const char *label, int rfd, int wfd)
{
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(rfd, &r);
	FD_SET(wfd, &w);
	struct timeval tv = {0, 0};
	int n = select((rfd > wfd ? rfd : wfd) + 1, &r, &w, NULL, &tv);
	if (n < 0)
		printf("%s: %s\n", label, errno_name(errno));
	else
		printf("%s: %d read=%d write=%d\n", label, n, FD_ISSET(rfd, &r), FD_ISSET(wfd, &w));
}

int main(void)
{
	int p[2];
	require(pipe2(p, O_NONBLOCK) == 0, "pipe2");
	show_poll("poll empty", p[0], p[1]);
	show_select("select empty", p[0], p[1]);
	write(p[1], "abc", 3);
	show_poll("poll with data", p[0], p[1]);
	show_select("select with data", p[0], p[1]);
	write(p[1], big, sizeof big);
	show_poll("poll full", p[0], p[1]);
	show_select("select full", p[0], p[1]);
	read(p[0], big, 100);
	show_poll("poll after 100 read", p[0], p[1]);
	read(p[0], big, 8000);
	show_poll("poll after a page read", p[0], p[1]);
	read(p[0], big, sizeof big);

	/* Timeouts: nothing becomes ready. */
	struct pollfd one = {.fd = p[0], .events = POLLIN};
	report_value("poll 20ms timeout", poll(&one, 1, 20));
	struct timespec ts = {0, 20 * 1000000};
	sigset_t none;
	sigemptyset(&none);
	report_value("ppoll 20ms timeout", ppoll(&one, 1, &ts, &none));
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, 20000};
	report_value("select 20ms timeout", select(p[0] + 1, &r, NULL, NULL, &tv));
	printf("select cleared the set: %s\n", FD_ISSET(p[0], &r) ? "no" : "yes");
	FD_SET(p[0], &r);
	report_value("pselect 20ms timeout", pselect(p[0] + 1, &r, NULL, NULL, &ts, &none));
	report_value("poll no fds 10ms", poll(NULL, 0, 10));

	/* Odd descriptors. */
	struct pollfd odd[3] = {{.fd = -1, .events = POLLIN}, {.fd = 999, .events = POLLIN}, {.fd = p[1], .events = 0}};
	int n = poll(odd, 3, 0);
	printf("poll odd: %d revents=%#x %#x %#x\n", n, odd[0].revents, odd[1].revents, odd[2].revents);
	fd_set bad;
	FD_ZERO(&bad);
	FD_SET(50, &bad);
	report_value("select closed fd", select(51, &bad, NULL, NULL, &tv));
	report_value("select negative nfds", select(-1, NULL, NULL, NULL, &tv));
	struct timeval badtv = {0, -1};
	report_value("select negative timeval", select(1, NULL, NULL, NULL, &badtv));
	struct pollfd regular = {.fd = 0, .events = POLLIN | POLLOUT};
	int devnull = open("/dev/null", O_RDWR);
	regular.fd = devnull;
	n = poll(&regular, 1, 0);
	printf("poll /dev/null: %d %#x\n", n, regular.revents);

	/* Hang-up and error. */
	write(p[1], "z", 1);
	close(p[1]);
	struct pollfd hup = {.fd = p[0], .events = POLLIN};
	n = poll(&hup, 1, 0);
	printf("poll writer gone, data left: %d %#x\n", n, hup.revents);
	read(p[0], big, 10);
	n = poll(&hup, 1, 0);
	printf("poll writer gone, drained: %d %#x\n", n, hup.revents);
	hup.events = 0;
	n = poll(&hup, 1, 0);
	printf("poll writer gone, no events asked: %d %#x\n", n, hup.revents);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){0, 0};
	n = select(p[0] + 1, &r, NULL, NULL, &tv);
	printf("select writer gone: %d %d\n", n, FD_ISSET(p[0], &r));
	close(p[0]);

	require(pipe(p) == 0, "pipe");
	close(p[0]);
	struct pollfd err = {.fd = p[1], .events = POLLOUT};
	n = poll(&err, 1, 0);
	printf("poll reader gone: %d %#x\n", n, err.revents);
	fd_set w;
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	n = select(p[1] + 1, NULL, &w, NULL, &tv);
	printf("select reader gone: %d %d\n", n, FD_ISSET(p[1], &w));
	close(p[1]);
	return 0;
}
